/**
 * Factories for tests: inputs with sensible defaults, a fixed clock, and a whole plan built
 * through the app layer.
 */
import type { Actor, AppContext } from "../../src/app/context.js";
import { appContext } from "../../src/app/context.js";
import { localActor } from "../../src/app/people/people.js";
import type { Store } from "../../src/store/db.js";

/** The fixed "now" of app tests: Saturday 2026-11-21, 10:00 UTC. */
export const NOW = "2026-11-21T10:00:00.000Z";

/** An app context whose clock reads `at` (default NOW). */
export function fixedContext(store: Store, at: string = NOW): AppContext {
  return appContext(store, () => new Date(at));
}

/** A context and the local owner acting in it. */
export async function actorFor(store: Store, at: string = NOW): Promise<{ ctx: AppContext; actor: Actor }> {
  const ctx = fixedContext(store, at);
  return { ctx, actor: await localActor(ctx) };
}

/** A team of the workspace with people in it in the given roles (owner, leader, member); its id. */
export async function buildTeam(
  store: Store,
  workspaceId: number,
  name: string,
  members: readonly { userId: number; role: string }[],
): Promise<number> {
  const team = await store.db
    .insertInto("teams")
    .values({ workspaceId, name, createdAt: NOW })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (members.length > 0) {
    await store.db
      .insertInto("memberships")
      .values(members.map((m) => ({ teamId: team.id, userId: m.userId, role: m.role, createdAt: NOW })))
      .execute();
  }
  return team.id;
}

/** Input for a goal with a why, dates and a value. */
export function buildGoal(over: Record<string, unknown> = {}) {
  return {
    title: "Grow the newsletter to 2,000 subscribers",
    why: "Readers fund the work; sponsors need a bigger audience",
    values: ["growth", "independence"],
    startDate: "2026-11-01",
    dueDate: "2027-03-31",
    ...over,
  };
}

/** The plan the foundation issue asks for: two key results, three steps, a resource, a barrier, two check-ins. */
export const SAMPLE_PLAN = {
  goal: buildGoal(),
  keyResults: [
    { title: "Subscribers", startValue: 1200, targetValue: 2000, unit: "users" },
    { title: "Unsubscribe rate", startValue: 3, targetValue: 1, unit: "%" },
  ],
  steps: [
    { text: "Email Raj the revised sponsorship deck", dueDate: "2026-11-27", estimateMinutes: 20 },
    { text: "Draft the welcome email", dueDate: "2026-11-24", estimateMinutes: 45 },
    { text: "Call Dana to book the podcast slot", dueDate: "2026-12-02", estimateMinutes: 15 },
  ],
  resource: { name: "Dana", kind: "person" as const, ask: "Share the issue with her list" },
  barrier: {
    obstacle: "Sponsor approval slips past Friday",
    planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
    likelihood: "high" as const,
  },
  checkins: [
    {
      date: "2026-11-14",
      kr: [1350, 2.8],
      confidence: "on-track" as const,
      doneText: "Sent the deck",
      nextStep: "Draft the welcome email",
      stepsDone: [1],
    },
    {
      date: "2026-11-21",
      kr: [1480, 2.5],
      confidence: "at-risk" as const,
      doneText: "Welcome email drafted",
      nextStep: "Call Dana",
      stepsDone: [2],
      barriersHit: [1],
    },
  ],
};

/** Removes what legitimately differs between two creations of the same plan (clock readings). */
export function normalizePlan(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizePlan);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "createdAt" || k === "updatedAt" || k === "hitAt") continue;
      out[k] = normalizePlan(v);
    }
    return out;
  }
  return value;
}
