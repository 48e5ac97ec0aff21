/**
 * A card that lists things, or says in the list's place what an empty one means (often with what
 * to do). The team view's stalled goals, missed check-ins, goals at risk and obstacles, and a
 * goal's barriers and resources, are each one.
 */
import { type ReactNode, useId } from "react";

/** The card: its heading, then one `<li>` per item from `children`, or the `empty` line. */
export function ListCard<T>({
  title,
  items,
  empty,
  children,
}: {
  title: string;
  items: T[];
  empty: ReactNode;
  /** One item as a keyed `<li>`. */
  children: (item: T) => ReactNode;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain-list">{items.map((item) => children(item))}</ul>
      )}
    </section>
  );
}
