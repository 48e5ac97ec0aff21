/**
 * A step's time of day (issue 19): the field in the step editor and the words on the step's line.
 * The API takes `dueTime` as 24-hour "HH:MM" on the owner's clock, only on a step with a due date
 * (docs/api.md); without a date the field is off and saving clears the time.
 */

/**
 * The "At" field next to a step's due date; named `time`, empty when there is none. In a one-line
 * form whose fields line up at the bottom (adding a step), `hint="hidden"` keeps "Give a date
 * first." for screen readers and as the field's tooltip, so the field stays level with the others.
 */
export function StepTimeField({
  id,
  defaultValue,
  hasDate,
  hint = "below",
}: {
  id: string;
  defaultValue: string | null | undefined;
  hasDate: boolean;
  hint?: "below" | "hidden";
}) {
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>At</label>
      <input
        id={id}
        name="time"
        type="time"
        step={60}
        defaultValue={defaultValue ?? ""}
        disabled={!hasDate}
        title={hasDate || hint === "below" ? undefined : "Give a date first."}
        aria-describedby={hasDate ? undefined : `${id}-hint`}
      />
      {hasDate ? null : (
        <p className={hint === "hidden" ? "visually-hidden" : "hint"} id={`${id}-hint`}>
          Give a date first.
        </p>
      )}
    </div>
  );
}

/** The time the form asks for: "HH:MM", or null (none, or the field off for want of a date). */
export function timeOf(form: FormData): string | null {
  const v = String(form.get("time") ?? "").trim();
  return v === "" ? null : v.slice(0, 5);
}

/** "Fri 11 Dec" and "15:30" as the step line shows them: "Fri 11 Dec, 15:30". */
export function dueWords(day: string, time: string | null | undefined): string {
  return time ? `${day}, ${time}` : day;
}
