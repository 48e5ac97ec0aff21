import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { createCheckin } from "../../app/checkins/checkins.js";
import { addKeyResult, createGoal } from "../../app/plans/goals.js";
import { addStep, completeStep } from "../../app/plans/steps.js";

describe.each(DIALECTS)("the status, report and review commands on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let goalId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const { actor } = await actorFor(db.store);
    // Dated long ago, so the runs reproduce them with --as-of whatever today is.
    const on = (day: string) => fixedContext(db.store, `${day}T10:00:00.000Z`);
    const goal = await createGoal(on("2024-03-01"), actor, {
      title: "Launch the newsletter",
      startDate: "2024-03-01",
      dueDate: "2024-03-31",
    });
    goalId = goal.id;
    const kr = await addKeyResult(on("2024-03-01"), actor, goal.id, {
      title: "Subscribers",
      startValue: 0,
      targetValue: 100,
    });
    const step = await addStep(on("2024-03-01"), actor, goal.id, {
      text: "Draft the welcome email",
      dueDate: "2024-03-08",
    });
    await addStep(on("2024-03-01"), actor, goal.id, {
      text: "Call Dana",
      dueDate: "2024-03-20",
      estimateMinutes: 15,
    });
    await completeStep(on("2024-03-10"), actor, step.id);
    await createCheckin(on("2024-03-11"), actor, goal.id, {
      date: "2024-03-11",
      krValues: [{ keyResultId: kr.id, value: 10 }],
    });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("status --json prints the status object with the issue's keys", () => {
    const st = cliJson<Record<string, unknown>>(
      ["status", String(goalId), "--as-of", "2024-03-16"],
      db.config,
    );
    for (const key of [
      "progress",
      "expected",
      "pace",
      "bufferDays",
      "forecastDate",
      "stalled",
      "mode",
      "nextSteps",
    ]) {
      expect(st).toHaveProperty(key);
    }
    expect(st).toMatchObject({
      asOf: "2024-03-16",
      progress: 0.1,
      pace: "behind",
      stalled: true,
      mode: "micro-goal",
    });
    expect(st.nextSteps).toEqual([expect.objectContaining({ text: "Call Dana" })]);
  });

  it.skipIf(skip)("status prints readable lines without --json", () => {
    const r = cli(["status", String(goalId), "--as-of", "2024-03-16"], db.config);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Progress 10% \(expected 50%\): behind/);
    expect(r.stdout).toMatch(/Micro-goal mode/);
  });

  it.skipIf(skip)("report --json prints the rate, wins and stalled goals of the window", () => {
    const r = cliJson<Record<string, unknown>>(
      ["report", "--as-of", "2024-03-16", "--weeks", "2"],
      db.config,
    );
    for (const key of ["followThroughRate", "kept", "missed", "wins", "stalled"])
      expect(r).toHaveProperty(key);
    expect(r).toMatchObject({
      from: "2024-03-03",
      to: "2024-03-16",
      kept: 0,
      missed: 1,
      followThroughRate: 0,
    });
    expect(r.stalled).toEqual([expect.objectContaining({ goalId, reasons: ["behind"] })]);
  });

  it.skipIf(skip)("review --json with --step adds the step without asking anything", () => {
    const r = cliJson<{ misses: unknown[]; plan: unknown[]; added: { text: string; dueDate: string }[] }>(
      ["review", "--as-of", "2024-03-16", "--step", `${goalId}=Email Raj the deck`],
      db.config,
    );
    expect(r).toMatchObject({
      from: "2024-03-10",
      to: "2024-03-16",
      wins: expect.any(Array),
      stalled: expect.any(Array),
    });
    expect(r.plan).toHaveLength(1);
    expect(r.added).toEqual([expect.objectContaining({ text: "Email Raj the deck", dueDate: "2024-03-23" })]);
    const quiet = cli(["review", "--as-of", "2024-03-16"], db.config);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/Weekly review, 2024-03-10 to 2024-03-16/);
  });

  it.skipIf(skip)("refuses bad input with one clear line and exit code 1", () => {
    const missing = cli(["status", "999"], db.config);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toEqual([
      "No goal with id 999. List them to find the right id.",
    ]);
    const badDay = cli(["status", String(goalId), "--as-of", "31/02/2026"], db.config);
    expect(badDay.code).toBe(1);
    expect(badDay.stderr.trim().split("\n")).toEqual([
      "--as-of '31/02/2026' is not a date. Use YYYY-MM-DD or words like 'next Friday'.",
    ]);
    const badStep = cli(["review", "--step", "Email Raj"], db.config);
    expect(badStep.code).toBe(1);
    expect(badStep.stderr).toMatch(/is not <goalId>=<text>/);
    const badWeeks = cli(["report", "--weeks", "four"], db.config);
    expect(badWeeks.code).toBe(1);
    expect(badWeeks.stderr).toMatch(/--weeks 'four' is not a whole number/);
  });
});
