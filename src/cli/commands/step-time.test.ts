/** `throughline step add/edit --at` (issue 19): a step's time of day from the command line. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { createGoal } from "../../app/plans/goals.js";

describe.each(DIALECTS)("step --at on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let goalId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const { ctx, actor } = await actorFor(db.store);
    goalId = (await createGoal(ctx, actor, { title: "Launch the newsletter", startDate: "2026-11-18" })).id;
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("adds a step with a time, changes it, clears it, and shows it in the line", () => {
    const add = cli(
      ["step", "add", String(goalId), "Call the printer", "--due", "2030-01-10", "--at", "15:30"],
      db.config,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/\(by 2030-01-10 15:30\)/);
    const id = (add.stdout.match(/#(\d+)/) as RegExpMatchArray)[1] as string;
    const edit = cli(["step", "edit", id, "--at", "9:05", "--reason", "The printer opens early"], db.config);
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toContain("2030-01-10 09:05");
    const cleared = cliJson<{ dueTime: string | null }>(
      ["step", "edit", id, "--at", "none", "--json"],
      db.config,
    );
    expect(cleared.dueTime).toBeNull();
  });

  it.skipIf(skip)("refuses a bad time with a sentence saying how to write one", () => {
    for (const bad of ["25:00", "3pm-ish"]) {
      const r = cli(
        ["step", "add", String(goalId), "Never stored", "--due", "2030-01-10", "--at", bad],
        db.config,
      );
      expect(r.code, bad).not.toBe(0);
      expect(r.stderr, bad).toContain("HH:MM");
      expect(r.stderr, bad).not.toMatch(/\n\s+at /);
    }
    const list = cli(["step", "list", "--goal", String(goalId)], db.config);
    expect(list.stdout).not.toContain("Never stored");
  });
});
