/**
 * A step's time of day (issue 19): the field in the step editor and the words on the step's line.
 * The API takes `dueTime` as 24-hour "HH:MM" on the owner's clock, only on a step with a due date
 * (docs/api.md); without a date the field is off and saving clears the time.
 */

/** The "At" field next to a step's due date; named `time`, empty when there is none. */
export function StepTimeField({
  id,
  defaultValue,
  hasDate,
}: {
  id: string;
  defaultValue: string | null | undefined;
  hasDate: boolean;
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
        aria-describedby={hasDate ? undefined : `${id}-hint`}
      />
      {hasDate ? null : (
        <p className="hint" id={`${id}-hint`}>
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
