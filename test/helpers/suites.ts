/**
 * The set-up several suites repeated word for word (issue 17, bench25), once:
 *
 * - {@link suiteStore}: a suite's database, one for the whole suite (the migration tests) or a fresh
 *   one for each test, made and removed by the suite's own hooks;
 * - {@link plannerSuite}: the nudge planner's tests (src/app/delivery): a fresh database for each
 *   test with its owner, quiet hours off, a clock at a fixed instant, the jobs queued, a goal;
 * - {@link statements}: a Kysely plugin that records every statement run through it, for the tests
 *   that assert what a path reads or writes.
 *
 * Test-only: it lives here, not in src/, because src/ is built into dist/ and its layers may not
 * import from test/ (test/layers.test.ts), and because a use-case module may build no query.
 */
import type { KyselyPlugin, OperationNode } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { Actor, AppContext } from "../../src/app/context.js";
import { updateSettings } from "../../src/app/people/settings.js";
import { createGoal } from "../../src/app/plans/goals.js";
import type { Store } from "../../src/store/db.js";
import { dialectAvailable, freshStore, type TestDialect } from "./dialects.js";
import { actorFor, fixedContext } from "./factories.js";

type Fresh = Awaited<ReturnType<typeof freshStore>>;

/** A suite's database, as its tests see it: made by the suite's hooks, read through getters. */
export interface SuiteStore {
  /** True when this dialect cannot run here: the suite's tests are skipped (never in CI). */
  readonly skip: boolean;
  readonly store: Store;
  /** How to open the same database again (a second instance). */
  readonly config: Fresh["config"];
}

/**
 * Registers the hooks that make the suite's database (migrated all the way, or only up to `upTo`)
 * and remove it: one for the whole suite (`beforeAll`), or with `each` a fresh one for every test.
 * Call it in the `describe` body.
 */
export function suiteStore(d: TestDialect, opts: { upTo?: string; each?: boolean } = {}): SuiteStore {
  const skip = !dialectAvailable(d);
  let db: Fresh | undefined;
  const open = async () => {
    if (skip) return;
    db = await freshStore(d, opts.upTo === undefined ? {} : { upTo: opts.upTo });
  };
  const close = async () => {
    await db?.dispose();
    db = undefined;
  };
  if (opts.each) {
    beforeEach(open);
    afterEach(close);
  } else {
    beforeAll(open);
    afterAll(close);
  }
  const current = (): Fresh => {
    if (!db) throw new Error("The suite's database is not open: use it inside a test.");
    return db;
  };
  return {
    skip,
    get store() {
      return current().store;
    },
    get config() {
      return current().config;
    },
  };
}

/** Saturday 2026-11-21, 10:00 UTC, and twice later in the same quarter hour (the planner's slot). */
export const NOW = "2026-11-21T10:00:00.000Z";
export const SOON = "2026-11-21T10:05:00.000Z";
export const LATER = "2026-11-21T10:10:00.000Z";

/** What the nudge planner's tests share. */
export interface PlannerSuite extends SuiteStore {
  /** The workspace's owner, quiet hours off, so a tick's deliveries are not held back. */
  readonly owner: Actor;
  /** The app at the instant `iso`, on the test's store or on `store` (e.g. one with a plugin). */
  ctxAt(iso: string, store?: Store): AppContext;
  /** The dedupe keys of the queued jobs that start with `prefix`, sorted. */
  keys(prefix?: string): Promise<string[]>;
  /** The owner's goal "Launch the newsletter", started on 2026-11-18, open to the workspace unless `over` says. */
  goal(over?: Record<string, unknown>): ReturnType<typeof createGoal>;
}

/**
 * Registers the hooks of a nudge planner suite on `d` (a fresh database for every test, its owner
 * with quiet hours off at {@link NOW}) and returns what its tests use. Call it in the `describe` body.
 */
export function plannerSuite(d: TestDialect): PlannerSuite {
  const db = suiteStore(d, { each: true });
  let owner: Actor | undefined;
  const ctxAt = (iso: string, store: Store = db.store): AppContext => fixedContext(store, iso);
  beforeEach(async () => {
    if (db.skip) return;
    owner = (await actorFor(db.store, NOW)).actor;
    await updateSettings(ctxAt(NOW), owner, { quietHours: null });
  });
  const me = (): Actor => {
    if (!owner) throw new Error("The suite's owner is not made yet: use it inside a test.");
    return owner;
  };
  return {
    skip: db.skip,
    get store() {
      return db.store;
    },
    get config() {
      return db.config;
    },
    get owner() {
      return me();
    },
    ctxAt,
    async keys(prefix = "") {
      const rows = await db.store.db.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
      return rows.map((r) => r.dedupeKey).filter((k) => k.startsWith(prefix));
    },
    goal(over = {}) {
      return createGoal(ctxAt("2026-11-01T09:00:00.000Z"), me(), {
        title: "Launch the newsletter",
        startDate: "2026-11-18",
        visibility: "workspace",
        ...over,
      });
    },
  };
}

/** A statement run through a Kysely: its kind, its node, and the node as JSON (to look for a table's name). */
export interface Statement {
  kind: string;
  node: OperationNode;
  text: string;
}

/**
 * A plugin that records every statement run through a Kysely (`store.db.withPlugin(plugin)`), and
 * the statements recorded, in order.
 */
export function statements(): { plugin: KyselyPlugin; seen: Statement[] } {
  const seen: Statement[] = [];
  return {
    seen,
    plugin: {
      transformQuery(args) {
        seen.push({ kind: args.node.kind, node: args.node, text: JSON.stringify(args.node) });
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    },
  };
}
