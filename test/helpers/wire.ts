import pg from "pg";

/**
 * Counts what PostgreSQL's connections do while `run` runs: `trips`, the queries that left while
 * nothing else was unanswered on their connection (a query written behind another on a pipelining
 * connection travels with it: BEGIN with the first statement, pgck21; COMMIT with the last,
 * pgtrips22; reads sent alongside, pgteam22); `connections`, how many pooled connections took a
 * query; `unnamed`, the queries with parameters that PostgreSQL had to parse and plan afresh (not a
 * named prepared statement).
 */
export async function onTheWire(
  run: () => Promise<unknown>,
): Promise<{ trips: number; connections: number; unnamed: number }> {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  const unanswered = new Map<object, number>();
  let trips = 0;
  let unnamed = 0;
  proto.query = function (this: pg.Client, ...a: unknown[]) {
    const config = a[0] as { name?: string; values?: unknown[] } | string;
    const values = typeof config === "string" ? a[1] : config.values;
    if (Array.isArray(values) && values.length > 0 && (typeof config === "string" || !config.name)) unnamed++;
    const waiting = unanswered.get(this) ?? 0;
    if (!this.pipeline || waiting === 0) trips++;
    unanswered.set(this, waiting + 1);
    const r = query.apply(this, a);
    const done = () => unanswered.set(this, (unanswered.get(this) ?? 1) - 1);
    if (r instanceof Promise) r.then(done, done);
    return r;
  };
  try {
    await run();
  } finally {
    proto.query = query;
  }
  return { trips, connections: unanswered.size, unnamed };
}
