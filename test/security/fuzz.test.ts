/**
 * Schema-driven fuzzing of every operation in the app's own OpenAPI document (issue 16): for every
 * path, query and body field, bad and edge values (wrong types, huge strings, huge, negative and
 * non-finite numbers, impossible dates, Unicode edge cases, missing and extra fields, bad ids,
 * malformed JSON), sent in-process as the workspace owner, a goal's owner, a member and anonymous.
 *
 * What must hold: no answer is a 5xx or shows a stack trace, and a refused request (4xx) leaves
 * every table as it was: the fingerprint of every table (row count and every row's text) is the
 * same before and after it, less the bookkeeping listed in MAY_CHANGE_ON_REFUSAL. Each operation
 * starts from the same database (a snapshot restored before it), so what an accepted request
 * changed (a dropped goal, a revoked token) never hides the next operation's checks.
 *
 * SQLite gets the full run (over 20,000 requests); PostgreSQL every operation with a sample of
 * the values (a few thousand). The counts are printed; docs/security.md records them.
 * `FUZZ_ONLY=<regex of "METHOD /path">` runs some operations only (the count assertions then
 * fail, by design); `FUZZ_PROGRESS=<file>` appends one line per operation with its requests, time
 * and fingerprints.
 */
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate, openStore, type Store } from "../../src/store/db.js";
import { dialectAvailable, type TestDialect } from "../helpers/dialects.js";
import { fixedContext } from "../helpers/factories.js";
import {
  BAD_IDS,
  BAD_QUERY,
  BAD_STRINGS,
  badValuesFor,
  baseObject,
  baseValue,
  changedTables,
  type FuzzRequest,
  fingerprint,
  fingerprintedTables,
  fingerprintQuery,
  type IdsByField,
  type Operation,
  operationsOf,
  RawJson,
  randomStrings,
  resolve,
  someTables,
  sqliteWrites,
  trackWrites,
  writeBody,
  writtenTables,
} from "../helpers/fuzz.js";
import { type Client, testApp } from "../helpers/http.js";
import { buildWorld, type World } from "../helpers/matrix.js";

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI JSON is walked loosely
type Json = any;

/** Who sends the fuzzed requests. */
const FUZZERS = ["owner", "goalOwner", "member", "anonymous"] as const;
type Fuzzer = (typeof FUZZERS)[number];

const SEED = 16_0007;

/** Strings of random code points, the same every run. */
const RANDOM = randomStrings(SEED, 6);

/** Operations that hash a password on every request. */
const PASSWORD_HASHING = /^\/api\/auth\/sign-(up|in)$/;

/** A database that can be put back to a snapshot between operations. */
interface Harness {
  store: Store;
  /** The app of the current store; the world's clients call through it. */
  app: Client;
  snapshot(): Promise<void>;
  restore(): Promise<void>;
  dispose(): Promise<void>;
}

/** An app whose store can be swapped, behind one stable client. */
function swappable(first: Store): { client: Client; use(store: Store): void } {
  let app = testApp(fixedContext(first));
  return {
    client: { request: (path, init) => app.request(path, init) },
    use(store) {
      app = testApp(fixedContext(store));
    },
  };
}

async function sqliteHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "throughline-fuzz-"));
  const file = join(dir, "fuzz.db");
  const snap = join(dir, "snapshot.db");
  let store = openStore({ file });
  await migrate(store);
  const app = swappable(store);
  const reopen = async (from: string | null) => {
    // Kysely opens its driver on the first query, and only closes what it opened.
    await sqliteWrites(store);
    await store.close();
    if (from) {
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
      copyFileSync(from, file);
    } else {
      copyFileSync(file, snap);
    }
    store = openStore({ file });
    h.store = store;
    app.use(store);
  };
  const h: Harness = {
    store,
    app: app.client,
    snapshot: () => reopen(null),
    restore: () => reopen(snap),
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

async function postgresHarness(): Promise<Harness> {
  const base = inject("postgresUrl") as string;
  const name = `fuzz_${process.pid}_${Date.now()}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = base.replace(/\/[^/]*$/, `/${name}`);
  let store = openStore({ databaseUrl: url });
  await migrate(store);
  const app = swappable(store);
  const h: Harness = {
    store,
    app: app.client,
    async snapshot() {
      await store.close();
      await admin(`CREATE DATABASE ${name}_snap TEMPLATE ${name}`);
      store = openStore({ databaseUrl: url });
      h.store = store;
      app.use(store);
    },
    async restore() {
      await store.close();
      await admin(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${name} TEMPLATE ${name}_snap`);
      store = openStore({ databaseUrl: url });
      h.store = store;
      app.use(store);
    },
    async dispose() {
      await store.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`DROP DATABASE IF EXISTS ${name}_snap WITH (FORCE)`);
    },
  };
  return h;
}

/** The value of a path parameter that names something of the world the fuzzer's actors can reach. */
function pathValue(w: World, path: string, param: string): string {
  const g = w.goals.team;
  if (param === "kind") return "slack";
  if (param === "source") return "taskwarrior";
  if (param === "token") return path.startsWith("/api/invitations") ? w.invitationToken : "not-a-token";
  if (param === "file") return "not-a-feed.ics";
  if (param === "playbookId") return String(w.playbookId);
  if (param === "childId") {
    if (path.includes("/barriers/")) return String(g.barrierId);
    if (path.includes("/key-results/")) return String(g.keyResultId);
    return String(w.people.partner.userId);
  }
  const noun = path.split("/")[2];
  const byNoun: Record<string, number> = {
    goals: g.id,
    "key-results": g.keyResultId,
    steps: path.endsWith("/delegate") ? g.delegableStepId : g.stepId,
    barriers: g.barrierId,
    resources: g.resourceId,
    checkins: g.checkinId,
    commitments: g.commitmentId,
    playbooks: w.playbookId,
    delegations: w.delegationId,
    teams: w.teamId,
    tokens: w.tokenIds.partner,
    webhooks: 1,
    inbox: 1,
  };
  return String(byNoun[noun ?? ""] ?? 1);
}

/** Ids of the world by body field name, so a base body names things that exist. */
function idsOf(w: World): IdsByField {
  const g = w.goals.team;
  return (name) => {
    const n = name.replace(/Ids?$/, "").toLowerCase();
    const map: Record<string, number> = {
      keyresult: g.keyResultId,
      step: g.stepId,
      stepsdone: g.doneStepId,
      goal: g.id,
      user: w.people.member.userId,
      assignee: w.people.member.userId,
      owner: w.people.member.userId,
      witnessuser: w.people.leader.userId,
      team: w.teamId,
      witnessteam: w.teamId,
      playbook: w.sparePlaybookId,
      barrier: g.barrierId,
      barriershit: g.barrierId,
    };
    return map[n];
  };
}

/** Fills a path template. */
function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, p: string) => values[p] ?? "1");
}

function queryString(q: [string, string][]): string {
  return q.length === 0 ? "" : `?${q.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join("&")}`;
}

/** Every fuzzed request of one operation (the full list; `keep` samples it). */
function casesOf(doc: Json, op: Operation, w: World, full: boolean): FuzzRequest[] {
  const ids = idsOf(w);
  const pathParams = op.params.filter((p) => p.in === "path");
  const queryParams = op.params.filter((p) => p.in === "query");
  const pathValues = Object.fromEntries(pathParams.map((p) => [p.name, pathValue(w, op.path, p.name)]));
  const baseQuery: [string, string][] = queryParams
    .filter((p) => p.required)
    .map((p) => [p.name, encodeURIComponent(String(baseValue(doc, p.schema, p.name, ids)))]);
  const body = op.jsonBody ? baseObject(doc, op.jsonBody, ids) : undefined;
  const json = (b: unknown) => ({ body: writeBody(b), contentType: "application/json" });
  const baseBody = body === undefined ? {} : json(body);
  const at = (pv: Record<string, string>, q: [string, string][]) => fill(op.path, pv) + queryString(q);
  const url = at(pathValues, baseQuery);
  const out: FuzzRequest[] = [{ method: op.method, path: url, ...baseBody, what: "base request" }];

  for (const p of pathParams) {
    for (const bad of full ? BAD_IDS : BAD_IDS.slice(0, 4)) {
      out.push({
        method: op.method,
        path: at({ ...pathValues, [p.name]: bad }, baseQuery),
        ...baseBody,
        what: `path ${p.name}=${bad.slice(0, 40)}`,
      });
    }
  }
  if (!full) {
    if (op.jsonBody) {
      out.push({
        method: op.method,
        path: url,
        body: "{",
        contentType: "application/json",
        what: "malformed JSON",
      });
    }
    return out;
  }
  for (const p of queryParams) {
    for (const bad of BAD_QUERY) {
      const q = baseQuery.filter(([k]) => k !== p.name);
      out.push({
        method: op.method,
        path: at(pathValues, [...q, [p.name, bad]]),
        ...baseBody,
        what: `query ${p.name}=${bad.slice(0, 40)}`,
      });
    }
    out.push({
      method: op.method,
      path: at(pathValues, [...baseQuery, [p.name, "1"], [p.name, "2026-11-21"]]),
      ...baseBody,
      what: `query ${p.name} twice`,
    });
  }
  out.push({
    method: op.method,
    path: at(pathValues, [...baseQuery, ["unexpected", "1"]]),
    ...baseBody,
    what: "unknown query parameter",
  });

  if (op.jsonBody) {
    const s = resolve(doc, op.jsonBody);
    const structural: [string, string | undefined, string][] = [
      ["no body", undefined, "application/json"],
      ["malformed JSON", "{", "application/json"],
      ["malformed JSON (trailing comma)", '{"a":1,}', "application/json"],
      ["a JSON array", "[]", "application/json"],
      ["JSON null", "null", "application/json"],
      ["a JSON string", '"x"', "application/json"],
      ["a JSON number", "1e309", "application/json"],
      ["deeply nested JSON", `${"[".repeat(20_000)}${"]".repeat(20_000)}`, "application/json"],
      ["a body over 1 MiB", `{"title":"${"a".repeat(1_100_000)}"}`, "application/json"],
      ["text/plain", writeBody(body), "text/plain"],
      ["form encoded", "title=x", "application/x-www-form-urlencoded"],
      ["invalid UTF-8 bytes", '{"title":"\\udc00\\ud800"}', "application/json"],
      ["duplicate keys", `{"title":"a","title":1}`, "application/json"],
      [
        "__proto__ key",
        `{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}`,
        "application/json",
      ],
    ];
    for (const [what, b, type] of structural) {
      out.push({ method: op.method, path: url, body: b, contentType: type, what });
    }
    out.push({ method: op.method, path: url, ...json({ ...body, unexpectedField: 1 }), what: "extra field" });
    for (const key of s.required ?? []) {
      const { [key]: _, ...rest } = body ?? {};
      out.push({ method: op.method, path: url, ...json(rest), what: `missing ${key}` });
    }
    for (const [key, prop] of Object.entries<Json>(s.properties ?? {})) {
      const values = badValuesFor(doc, prop);
      for (const bad of values === BAD_STRINGS ? [...values, ...RANDOM] : values) {
        out.push({
          method: op.method,
          path: url,
          ...json({ ...body, [key]: bad }),
          what: `body ${key}=${describeValue(bad)}`,
        });
      }
      // One level down: an object, or one item of an array of objects, with each field fuzzed.
      const inner = resolve(doc, prop);
      const item = inner.type === "array" ? resolve(doc, inner.items) : inner;
      if (item.type !== "object" || !item.properties) continue;
      const baseItem = baseObject(doc, item, ids);
      for (const [ik, ip] of Object.entries<Json>(item.properties)) {
        const values = badValuesFor(doc, ip).filter((_, i) => i % 3 === 0);
        for (const bad of values) {
          const v = { ...baseItem, [ik]: bad };
          out.push({
            method: op.method,
            path: url,
            ...json({ ...body, [key]: inner.type === "array" ? [v] : v }),
            what: `body ${key}.${ik}=${describeValue(bad)}`,
          });
        }
      }
    }
  }
  for (const type of op.rawTypes) {
    const raws: [string, string][] = [
      ["empty", ""],
      ["garbage", "\u0000\u00ff\ufffd not an export"],
      ["JSON of the wrong shape", '{"tasks":[{"id":null,"content":1e309}]}'],
      ["a JSON array of junk", '[1,null,"x",{},[]]'],
      ["CSV with formulas", 'Title,Due\n=HYPERLINK("x"),2026-02-31\n+1,+275760-09-13\n'],
      ["deeply nested JSON", `${"[".repeat(20_000)}${"]".repeat(20_000)}`],
      ["lone surrogates", '[{"uuid":"\\ud800","description":"\\udc00","status":"pending"}]'],
      ["5 MiB", "x".repeat(5 * 1024 * 1024)],
    ];
    for (const [what, b] of raws)
      out.push({ method: op.method, path: url, body: b, contentType: type, what });
  }
  return out;
}

function describeValue(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  const s = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 37)}…(${s.length})` : s;
}

function clientOf(w: World, who: Fuzzer, harness: Harness): Client {
  return who === "anonymous" ? harness.app : w.people[who].api;
}

/** What a run found. */
interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  failures: string[];
  operations: Set<string>;
}

let fpTime = 0;
let fpCount = 0;

async function run(d: TestDialect, sample: (i: number, op: Operation) => boolean): Promise<Tally> {
  const harness = d === "sqlite" ? await sqliteHarness() : await postgresHarness();
  const tally: Tally = { requests: 0, byStatus: new Map(), failures: [], operations: new Set() };
  try {
    const w = await buildWorld(harness.app, harness.store, "fuzz");
    const hook = await w.people.owner.api.request("/api/webhooks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: "https://example.com/hook", events: ["goal.created"] }),
    });
    expect(hook.status).toBe(201);
    const doc = (await (await harness.app.request("/api/openapi.json")).json()) as Json;
    const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
    const ops = operationsOf(doc).filter((o) => !only || only.test(`${o.method} ${o.path}`));
    if (harness.store.dialect === "postgres") {
      await trackWrites(harness.store, await fingerprintedTables(harness.store));
    }
    await harness.snapshot();
    /** Whether the last operation wrote anything a refusal may not: then its snapshot is restored. */
    let dirty = true;

    for (const op of ops) {
      const started = Date.now();
      fpTime = 0;
      fpCount = 0;
      const count = tally.requests;
      if (dirty) await harness.restore();
      dirty = false;
      const tables = await fingerprintedTables(harness.store);
      const query = fingerprintQuery(harness.store, tables);
      if (d === "sqlite") await trackWrites(harness.store, tables);
      await writtenTables(harness.store);
      let before = await fingerprint(harness.store, query);
      /** The fingerprint after the last request: only the tables it wrote are read again. */
      const fingerprintNow = async () => {
        const written = await writtenTables(harness.store);
        if (written.length === 0) return before;
        const t0 = performance.now();
        dirty = true;
        const after = new Map(before);
        const some = someTables(tables, written);
        if (some.length > 0) {
          for (const [t, v] of await fingerprint(harness.store, fingerprintQuery(harness.store, some))) {
            after.set(t, v);
          }
        }
        fpTime += performance.now() - t0;
        fpCount++;
        return after;
      };
      for (const who of FUZZERS) {
        const client = clientOf(w, who, harness);
        // Anonymous callers get the full list only where the base request is not refused as
        // unauthenticated (the public routes); elsewhere the authentication check answers first.
        let full = true;
        if (who === "anonymous") {
          const probe = casesOf(doc, op, w, false)[0] as FuzzRequest;
          const r = await client.request(probe.path, {
            method: probe.method,
            headers: probe.contentType ? { "content-type": probe.contentType } : {},
            body: probe.body,
          });
          await r.arrayBuffer();
          full = r.status !== 401;
          before = await fingerprintNow();
        }
        const cases = casesOf(doc, op, w, full);
        for (let i = 0; i < cases.length; i++) {
          const c = cases[i] as FuzzRequest;
          if (!sample(i, op) && i > 0) continue;
          const res = await client.request(c.path, {
            method: c.method,
            headers: c.contentType ? { "content-type": c.contentType } : {},
            body: c.body,
          });
          const text = await res.text();
          tally.requests++;
          tally.operations.add(`${op.method} ${op.path}`);
          tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
          const label = `${who} ${op.method} ${op.path} — ${c.what}`;
          if (res.status >= 500) tally.failures.push(`${res.status} ${label}: ${text.slice(0, 200)}`);
          if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+:\d+/.test(text)) {
            tally.failures.push(`stack trace in ${label}: ${text.slice(0, 200)}`);
          }
          const after = await fingerprintNow();
          if (after !== before && res.status >= 400 && res.status < 500) {
            const changed = changedTables(before, after).filter((t) => !mayChange(op, res.status, t));
            if (changed.length > 0) {
              tally.failures.push(
                `${res.status} ${label} changed ${changed.join(", ")}: ${text.slice(0, 160)}`,
              );
            }
          }
          before = after;
        }
      }
      if (process.env.FUZZ_PROGRESS) {
        appendFileSync(
          process.env.FUZZ_PROGRESS,
          `${d} ${op.method} ${op.path} ${tally.requests - count} requests ${Date.now() - started} ms, ${fpCount} fingerprints ${Math.round(fpTime)} ms\n`,
        );
      }
    }
  } finally {
    await harness.dispose();
  }
  return tally;
}

/**
 * What a refusal of this operation may write besides MAY_CHANGE_ON_REFUSAL: a refused sign-in is
 * recorded in the audit log (ASVS 7.1.3, 7.2.1) — that record is the defence, not a half-write.
 */
function mayChange(op: Operation, status: number, table: string): boolean {
  return table === "audit_log" && op.path === "/api/auth/sign-in" && status === 401;
}

function summary(d: TestDialect, t: Tally): string {
  const statuses = [...t.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  const fivexx = [...t.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  return `fuzz on ${d}: ${t.requests} requests over ${t.operations.size} operations, ${fivexx} answered 5xx, ${t.failures.length} failures; statuses ${statuses.join(" ")}`;
}

const results: string[] = [];
afterAll(() => {
  for (const r of results) console.log(r);
});

describe("fuzzing every operation of the OpenAPI document", () => {
  it("answers over 20,000 fuzzed requests on SQLite without a 5xx, and every refusal leaves every table unchanged", async () => {
    // Every case, but a sixth of those of sign-up and sign-in: each of their requests hashes a
    // password with scrypt (16 MiB, tens of milliseconds), on purpose.
    const t = await run("sqlite", (i, op) => !PASSWORD_HASHING.test(op.path) || i % 6 === 0);
    results.push(summary("sqlite", t));
    expect(t.failures.slice(0, 40)).toEqual([]);
    expect(t.requests).toBeGreaterThanOrEqual(20_000);
    expect(t.operations.size).toBeGreaterThanOrEqual(100);
  }, 600_000);

  it.skipIf(!dialectAvailable("postgres"))(
    "answers a sample of every operation's fuzzed requests on PostgreSQL the same way",
    async () => {
      const t = await run("postgres", (i, op) => i % (PASSWORD_HASHING.test(op.path) ? 24 : 6) === 0);
      results.push(summary("postgres", t));
      expect(t.failures.slice(0, 40)).toEqual([]);
      expect(t.requests).toBeGreaterThanOrEqual(3_000);
    },
    600_000,
  );
});
