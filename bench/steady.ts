/**
 * Puts a `bench:data` database in the state a running server keeps it in (issue 17): the nudge
 * planner has run (its cursor at the end of the event and notice logs, its slot the current
 * quarter hour), so a server started on it plans what changes from here on, as it would after
 * running for a while, instead of its very first full pass over every person and goal and the
 * tens of thousands of nudges that pass queues at once. `npm run bench` measures steady state on
 * such a copy; `npm run bench:tick` measures that first full pass.
 *
 *   node dist/bench-build/bench/steady.js --db COPY.db | --postgres URL
 */
import { pathToFileURL } from "node:url";
import { NUDGE_PLANNER, plannerSlot } from "../src/app/delivery/nudges.js";
import { openAndMigrate } from "../src/store/db.js";
import { logEnds, savePlannerState } from "../src/store/repos/planner.js";

async function main(): Promise<void> {
  const i = process.argv.indexOf("--postgres");
  const j = process.argv.indexOf("--db");
  const store = await openAndMigrate(
    i >= 0 ? { databaseUrl: process.argv[i + 1] ?? "" } : { file: process.argv[j + 1] ?? "" },
  );
  try {
    const now = new Date();
    const ends = await logEnds(store.db);
    await savePlannerState(store.db, NUDGE_PLANNER, { ...ends, slot: plannerSlot(now) }, now.toISOString());
    console.error(
      `The planner's cursor is at event ${ends.eventId}, notice ${ends.noticeId}, slot ${plannerSlot(now)}.`,
    );
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
