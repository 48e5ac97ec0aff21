/**
 * The nudge planner's tick, in-process (issue 17): on a database made by `npm run bench:data`,
 * times the planner's full pass (what every tick cost before issue 17: `planNudges`), then ticks
 * where nothing changed (`planTick`, and the scheduler's whole tick: planning, the due jobs and
 * the webhooks), then a tick after one check-in and one new step. It WRITES to the database
 * (queued nudges, the planner's cursor, a check-in): give it a copy.
 *
 *   npm run bench:tick -- --db COPY.db | --postgres URL [--times 20] [--plan-only] [--changed N]
 *
 * `--plan-only` leaves out the scheduler's whole tick, whose first run delivers every nudge the
 * full passes queued (minutes at 10,000 people).
 *
 * Issue 17, zones: first it spreads the people over eight time zones (a settings row each, saved
 * long ago), then, after the ticks above, times slot changes (a new UTC quarter hour): one where
 * no zone passed midnight and nobody's weekly hour came (it reads only the settings), and one at
 * one zone's midnight (it plans that zone's people only) — next to the old full pass.
 */
import { pathToFileURL } from "node:url";
import { createCheckin } from "../src/app/checkins/checkins.js";
import { type Actor, type AppContext, appContext } from "../src/app/context.js";
import { type PlanTick, planNudges, planTick } from "../src/app/delivery/nudges.js";
import { addStep } from "../src/app/plans/steps.js";
import { localTime } from "../src/core/nudges.js";
import { tick } from "../src/jobs/scheduler.js";
import { openAndMigrate, type Store } from "../src/store/db.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t = performance.now();
  const result = await run();
  return { ms: performance.now() - t, result };
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return `median ${p(0.5).toFixed(2)} ms  p99 ${p(0.99).toFixed(2)} ms  max ${(sorted.at(-1) ?? 0).toFixed(2)} ms (${ms.length} runs)`;
}

/** The eight time zones the people are spread over (issue 17, zones). */
const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "America/Los_Angeles",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Sao_Paulo",
];

/** Gives every person a settings row in one of {@link ZONES} (round robin), saved long ago. */
async function spreadOverZones(store: Store): Promise<void> {
  const ids = (await store.db.selectFrom("users").select("id").orderBy("id").execute()).map((u) => u.id);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = ids.slice(i, i + 500).map((userId, j) => ({
      userId,
      timeZone: ZONES[(i + j) % ZONES.length] as string,
      quietStart: null,
      quietEnd: null,
      snoozeUntil: null,
      updatedAt: "2000-01-01T00:00:00.000Z",
    }));
    await store.db
      .insertInto("userSettings")
      .values(rows)
      .onConflict((oc) =>
        oc.column("userId").doUpdateSet((eb) => ({ timeZone: eb.ref("excluded.timeZone") })),
      )
      .execute();
  }
}

/** How many of {@link ZONES} pass midnight, or reach the weekly prompt's hour, at a slot's start. */
function zonesTurning(slot: Date): { midnight: number; weekly: number } {
  const before = new Date(slot.getTime() - 900_000);
  let midnight = 0;
  let weekly = 0;
  for (const tz of ZONES) {
    const a = localTime(before, tz);
    const b = localTime(slot, tz);
    if (a.date !== b.date) midnight++;
    // The default weekly prompt: Monday, 09:00.
    if (b.weekday === 1 && b.hour >= 9 && !(a.weekday === 1 && a.hour >= 9)) weekly++;
  }
  return { midnight, weekly };
}

/**
 * Times slot changes after `after`: `times` where no zone passed midnight and nobody's weekly hour
 * came, then the next three at exactly one zone's midnight.
 */
async function zoneTicks(ctx: ReturnType<typeof appContext>, after: Date, times: number): Promise<void> {
  let slot = new Date(Math.ceil(after.getTime() / 900_000) * 900_000 + 900_000);
  const quiet: number[] = [];
  const midnights: { ms: number; tick: PlanTick; zone: string }[] = [];
  let quietPeople = 0;
  for (let n = 0; n < 4 * 24 * 8 && (quiet.length < times || midnights.length < 3); n++) {
    slot = new Date(slot.getTime() + 900_000);
    const turning = zonesTurning(slot);
    const at = new Date(slot.getTime() + 60_000);
    if (turning.midnight === 0 && turning.weekly === 0 && quiet.length < times) {
      const t = await timed(() => planTick(ctx, at, { forwardNotices: false }));
      quiet.push(t.ms);
      quietPeople += t.result.people;
    } else if (turning.midnight === 1 && turning.weekly === 0 && midnights.length < 3) {
      const t = await timed(() => planTick(ctx, at, { forwardNotices: false }));
      const zone =
        ZONES.find((tz) => localTime(slot, tz).hour === 0 && localTime(slot, tz).minute === 0) ?? "?";
      midnights.push({ ms: t.ms, tick: t.result, zone });
    } else {
      // Keep the planner's slot moving (untimed): a real scheduler sees every slot.
      await planTick(ctx, at, { forwardNotices: false });
    }
  }
  console.log(
    `slot change, no zone at midnight, no weekly hour: ${stats(quiet)}, ${quietPeople} people planned`,
  );
  for (const m of midnights)
    console.log(
      `slot change at one zone's midnight (${m.zone}): ${m.ms.toFixed(0)} ms, ${m.tick.people} people planned, queued ${m.tick.queued}`,
    );
}

/** What `idleTicks` measured. */
export interface IdleTicks {
  /** The first planTick (unmeasured as idle: a full pass when the quarter hour changed or no cursor was stored). */
  first: { ms: number; full: boolean; queued: number };
  /** Idle planTick durations, ms. */
  plan: number[];
  /** The bounded delivery before the whole ticks: scheduler ticks until nothing was claimed, or the time ran out. */
  drain: { ms: number; ticks: number; claimed: number; finished: boolean };
  /** Whole scheduler ticks (plan + due jobs + webhooks), ms. */
  whole: number[];
  /** Ticks that were not idle (something changed, or jobs were claimed) among the measured. */
  busy: number;
}

/**
 * Issue 17's idle tick, for `npm run bench`: a first planTick (not measured), `times` idle
 * planTicks, then scheduler ticks delivering what is queued — at most `drainSeconds` and 50 ticks
 * (each tick claims at most 100 rounds of 20 jobs), not measured — then `times` whole ticks. The
 * clock is real time moved on by 100 ms a tick, in one quarter hour (the next one when this one
 * ends within a minute), so only the first pass is a full one.
 */
export async function idleTicks(
  ctx: AppContext,
  o: { times: number; drainSeconds: number },
): Promise<IdleTicks> {
  const slot = 900_000;
  let base = Date.now();
  if (slot - (base % slot) < 60_000) base = base - (base % slot) + slot + 1000;
  const at = (i: number) => new Date(base + i * 100);
  const first = await timed(() => planTick(ctx, at(0), { forwardNotices: false }));
  const plan: number[] = [];
  let busy = 0;
  for (let i = 0; i < o.times; i++) {
    const t = await timed(() => planTick(ctx, at(1 + i), { forwardNotices: false }));
    if (t.result.full || t.result.changes !== 0) busy++;
    plan.push(t.ms);
  }
  const opts = { intervalMs: 60_000, mailer: null, log: () => {} };
  const drainStart = performance.now();
  let ticks = 0;
  let claimed = 0;
  let finished = false;
  while (ticks < 50 && performance.now() - drainStart < o.drainSeconds * 1000) {
    const r = await tick(ctx, at(100 + ticks), opts);
    ticks++;
    claimed += r.claimed;
    if (r.claimed === 0) {
      finished = true;
      break;
    }
  }
  const drain = { ms: performance.now() - drainStart, ticks, claimed, finished };
  const whole: number[] = [];
  for (let i = 0; i < o.times; i++) {
    const t = await timed(() => tick(ctx, at(200 + i), opts));
    if (t.result.claimed !== 0) busy++;
    whole.push(t.ms);
  }
  return {
    first: { ms: first.ms, full: first.result.full, queued: first.result.queued },
    plan,
    drain,
    whole,
    busy,
  };
}

// `--changed N` times the cursor path alone: a tick after N check-ins on
// N goals (then after N more check-ins on the same goals, whose plans did not change).
/** Times planTick after `n` check-ins on `n` distinct active goals, twice (new goals, then the same). */
async function changedTicks(ctx: AppContext, store: Store, n: number): Promise<void> {
  const now = Date.now();
  await planTick(ctx, new Date(now), { forwardNotices: false });
  const goals = await store.db
    .selectFrom("goals")
    .select(["id", "ownerId", "workspaceId"])
    .where("status", "=", "active")
    .orderBy("id", "desc")
    .limit(n)
    .execute();
  for (const round of ["new check-ins", "the same goals again"]) {
    for (const g of goals) {
      const owner: Actor = { userId: g.ownerId, workspaceId: g.workspaceId };
      await createCheckin(ctx, owner, g.id, { confidence: "on-track", doneText: "bench:tick" });
    }
    const t = await timed(() => planTick(ctx, new Date(now + 1000), { forwardNotices: false }));
    console.log(
      `planTick after ${goals.length} check-ins (${round}): ${t.ms.toFixed(0)} ms, ${t.result.changes} changes, queued ${t.result.queued}, already queued ${t.result.known}`,
    );
  }
}

async function main(): Promise<void> {
  const pgUrl = arg("postgres", "");
  const store = await openAndMigrate(pgUrl ? { databaseUrl: pgUrl } : { file: arg("db", "") });
  const ctx = appContext(store);
  const times = Number(arg("times", "20"));
  // One quarter hour, so every tick below is in the same slot as the full pass.
  const slotStart = new Date(Math.floor(Date.now() / 900_000) * 900_000 + 60_000);
  const at = (s: number) => new Date(slotStart.getTime() + s * 1000);
  try {
    const changedGoals = Number(arg("changed", "0"));
    if (changedGoals > 0) return await changedTicks(ctx, store, changedGoals);
    await spreadOverZones(store);
    const before = await timed(() => planNudges(ctx, at(0), { forwardNotices: false }));
    console.log(
      `full pass (planNudges, every tick before issue 17): ${before.ms.toFixed(0)} ms, queued ${before.result.queued}`,
    );
    const first = await timed(() => planTick(ctx, at(1), { forwardNotices: false }));
    console.log(
      `first planTick (a full pass, storing the cursor): ${first.ms.toFixed(0)} ms, queued ${first.result.queued}`,
    );
    const idle: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = await timed(() => planTick(ctx, at(2 + i), { forwardNotices: false }));
      if (t.result.full || t.result.changes !== 0)
        throw new Error("Something changed during the idle ticks.");
      idle.push(t.ms);
    }
    console.log(`idle planTick: ${stats(idle)}`);
    if (process.argv.includes("--plan-only")) {
      await zoneTicks(ctx, at(2 + times), Math.min(times, 10));
      return;
    }
    // The full passes queued nudges due now: the first scheduler tick delivers them (not timed).
    const drain = await timed(() => tick(ctx, at(99), { intervalMs: 60_000, mailer: null, log: () => {} }));
    console.log(`scheduler tick delivering the queued nudges (not idle): ${drain.ms.toFixed(0)} ms`);
    const whole: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = await timed(() =>
        tick(ctx, at(100 + i), { intervalMs: 60_000, mailer: null, log: () => {} }),
      );
      whole.push(t.ms);
    }
    console.log(`idle scheduler tick (plan + due jobs + webhooks): ${stats(whole)}`);
    const goal = await store.db
      .selectFrom("goals")
      .select(["id", "ownerId"])
      .where("status", "=", "active")
      .where("ownerId", ">", 1)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const owner: Actor = { userId: goal.ownerId, workspaceId: 1 };
    const day = at(200).toISOString().slice(0, 10);
    await createCheckin(ctx, owner, goal.id, { confidence: "on-track", doneText: "bench:tick" });
    await addStep(ctx, owner, goal.id, { text: "Email the bench", dueDate: day });
    const changed = await timed(() => planTick(ctx, at(200), { forwardNotices: false }));
    console.log(
      `planTick after a check-in and a new step: ${changed.ms.toFixed(1)} ms, ${changed.result.changes} changes, queued ${changed.result.queued}`,
    );
    await zoneTicks(ctx, at(200), Math.min(times, 10));
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
