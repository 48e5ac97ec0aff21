/**
 * Schema-driven fuzzing of the HTTP API (issue 16): the operations of the app's own OpenAPI
 * document, a valid base request for each, and bad and edge values for every path, query and body
 * field; plus a cheap fingerprint of every table, to prove a refused request changed nothing.
 * Deterministic: the cases are a fixed list, and the few random choices come from a seeded PRNG.
 */
import { sql } from "kysely";
import type { Store } from "../../src/store/db.js";

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI JSON is walked loosely; every use checks its shape
type Json = any;

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
  operationId: string;
  params: { name: string; in: "path" | "query" | "header" | "cookie"; required: boolean; schema: Json }[];
  /** The JSON body's schema (refs resolved lazily), or null when the body is not JSON. */
  jsonBody: Json | null;
  /** Media types of a non-JSON body (imports), else []. */
  rawTypes: string[];
  bodyRequired: boolean;
}

/** A request the fuzzer sends: where, and the exact body bytes and content type. */
export interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  /** What was changed, for the report of a failure. */
  what: string;
}

/** Every operation of the document. */
export function operationsOf(doc: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const json = content["application/json"]?.schema ?? null;
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId ?? `${method} ${path}`,
        params: (op.parameters ?? []).map((p: Json) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: p.schema ?? {},
        })),
        jsonBody: json,
        rawTypes: json ? [] : Object.keys(content),
        bodyRequired: op.requestBody?.required === true,
      });
    }
  }
  return ops;
}

/** A schema with its $ref (and single allOf) resolved, and OpenAPI 3.1's nullable types read. */
export function resolve(doc: Json, schema: Json): Json {
  let s = schema ?? {};
  for (let i = 0; i < 20 && s.$ref; i++) {
    const name = String(s.$ref).replace("#/components/schemas/", "");
    s = {
      ...doc.components.schemas[name],
      ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")),
    };
  }
  if (Array.isArray(s.allOf) && s.allOf.length === 1)
    return resolve(doc, { ...s.allOf[0], ...s, allOf: undefined });
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives)) {
    const first = alternatives.map((a: Json) => resolve(doc, a)).find((a: Json) => a.type !== "null");
    if (first) return { ...first, nullable: true };
  }
  if (Array.isArray(s.type)) {
    const t = s.type.find((x: string) => x !== "null");
    return { ...s, type: t, nullable: s.type.includes("null") };
  }
  return s;
}

/** Field names that hold a calendar day. */
const DAY_FIELD = /(date|asOf|until|occurrence|dueBefore|dueAfter|^now$|^day$|^from$|^to$)/i;

/** Context for base values: ids of things that exist, by field name. */
export type IdsByField = (name: string) => number | undefined;

/** A valid-looking value for a field, so that fuzzing one field reaches the checks behind the others. */
export function baseValue(doc: Json, raw: Json, name: string, ids: IdsByField, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined && depth > 0) return s.default;
  switch (s.type) {
    case "string": {
      if (DAY_FIELD.test(name) || s.format === "date") return "2026-11-25";
      if (s.format === "date-time" || /At$/.test(name)) return "2026-11-21T10:00:00.000Z";
      if (/email/i.test(name)) return "someone.new@example.com";
      if (/url/i.test(name)) return "https://example.com/hook";
      if (/password/i.test(name)) return "correct horse battery staple";
      if (/timeZone/i.test(name)) return "Europe/Berlin";
      if (/every/i.test(name)) return "every Monday";
      if (/recurrence|rrule/i.test(name)) return "FREQ=WEEKLY;BYDAY=MO";
      const min = typeof s.minLength === "number" ? s.minLength : 0;
      const text = "Email Dana the revised plan";
      return text.length >= min ? text : text.padEnd(min, "x");
    }
    case "integer":
    case "number": {
      const known = ids(name);
      if (known !== undefined) return known;
      const min = typeof s.minimum === "number" ? s.minimum : 1;
      const max = typeof s.maximum === "number" ? s.maximum : Number.MAX_SAFE_INTEGER;
      return Math.min(Math.max(min, 1), max);
    }
    case "boolean":
      return false;
    case "array": {
      const known = /Ids$/.test(name) ? ids(name) : undefined;
      if (known !== undefined) return [known];
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      return Array.from({ length: min }, () =>
        baseValue(doc, s.items, name.replace(/s$/, ""), ids, depth + 1),
      );
    }
    case "object":
      return baseObject(doc, s, ids, depth + 1);
    default:
      return "x";
  }
}

/** The required properties of an object schema with base values. */
export function baseObject(doc: Json, raw: Json, ids: IdsByField, depth = 0): Record<string, unknown> {
  const s = resolve(doc, raw);
  const out: Record<string, unknown> = {};
  if (depth > 6) return out;
  for (const key of s.required ?? []) out[key] = baseValue(doc, s.properties?.[key] ?? {}, key, ids, depth);
  return out;
}

/** A marker for a body value written as raw JSON text (numbers JSON.stringify cannot write). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Writes a body whose values may be RawJson. */
export function writeBody(value: unknown): string {
  const holes: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof RawJson) {
      holes.push(v.text);
      return `\u0001RAW${holes.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i) => holes[Number(i)] as string);
}

const LONG = "a".repeat(100_001);
const ASTRAL = "𝕏".repeat(40_000);
const COMBINING = "e\u0301".repeat(5000);

/** Bad and edge values for a string field. */
export const BAD_STRINGS: unknown[] = [
  "",
  "   ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "\u200b\u200b",
  "\u202e\u2066",
  "\u0007\u001b[31m",
  "\ufeff",
  LONG,
  ASTRAL,
  COMBINING,
  "<script>alert(1)</script>",
  '=HYPERLINK("https://evil.example","x")',
  "' OR 1=1 --",
  "2026-02-31",
  "2026-13-01",
  "+275760-09-13",
  "9999-12-31",
  "0000-00-00",
  "../../../etc/passwd",
  "%00",
  "\\",
  "\r\n\t",
  "Ｆｕｌｌ",
  "NaN",
  "1e309",
  0,
  -1,
  1.5,
  true,
  null,
  [],
  {},
  ["a"],
];

/**
 * Strings of random code points from every plane (controls, surrogates, private use, noncharacters
 * included), from a seeded PRNG so every run sends the same ones.
 */
export function randomStrings(seed: number, count: number): string[] {
  const next = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(next() * 40);
    let s = "";
    for (let j = 0; j < length; j++) {
      const plane = next() < 0.7 ? 0 : Math.floor(next() * 17);
      const cp = plane * 0x10000 + Math.floor(next() * 0x10000);
      // Surrogate code points go in as lone UTF-16 units; the rest as whole characters.
      s += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    }
    out.push(s);
  }
  return out;
}

/** Bad and edge values for a number field. */
export const BAD_NUMBERS: unknown[] = [
  -1,
  0,
  -0,
  1.5,
  1e308,
  -1e308,
  5e-324,
  2147483648,
  -2147483649,
  // 2^53 + 1, written as JSON text: a double cannot hold it.
  new RawJson("9007199254740993"),
  new RawJson("1e309"),
  new RawJson("-1e309"),
  new RawJson("1E400"),
  new RawJson("0.0000000000000000000000000000000000001"),
  "1",
  "abc",
  "NaN",
  "Infinity",
  "",
  null,
  true,
  [],
  {},
  [1],
];

/** Bad values for a boolean, an array and an object field. */
export const BAD_BOOLEANS: unknown[] = ["true", 1, 0, null, [], {}];
export const BAD_ARRAYS: unknown[] = [
  null,
  "x",
  1,
  {},
  [null],
  [[]],
  [{}],
  ["x"],
  [-1],
  [1e308],
  Array.from({ length: 10_001 }, (_, i) => i + 1),
];
export const BAD_OBJECTS: unknown[] = [null, "x", 1, [], { unexpected: 1 }, { __proto__: { admin: true } }];
export const BAD_ENUMS: unknown[] = ["", "NOPE", "Private", "private ", 0, null, ["private"]];

/** Bad values for a query parameter (already URL-encoded where they need to be). */
export const BAD_QUERY: string[] = [
  "",
  "%00",
  "abc",
  "-1",
  "0",
  "1.5",
  "1e309",
  "99999999999999999999",
  "2026-13-01",
  "2026-02-31",
  "%2B275760-09-13",
  "9999-12-31",
  "true",
  "null",
  "%5B%5D",
  "%E0%A4%A",
  "%ud800",
  "%ED%A0%80",
  "%E2%80%8B",
  "a".repeat(10_000),
];

/** Bad values for an id in the path (raw, some deliberately malformed). */
export const BAD_IDS: string[] = [
  "0",
  "-1",
  "abc",
  "1.5",
  "2147483648",
  "99999999999999999999",
  "1e3",
  "%00",
  "%2e%2e",
  "%E0%A4%A",
  "0x10",
  "%20%31",
  "9".repeat(400),
];

/** Bad values for a field of a given schema. */
export function badValuesFor(doc: Json, raw: Json): unknown[] {
  const s = resolve(doc, raw);
  if (Array.isArray(s.enum)) return BAD_ENUMS;
  switch (s.type) {
    case "string":
      return BAD_STRINGS;
    case "integer":
    case "number":
      return BAD_NUMBERS;
    case "boolean":
      return BAD_BOOLEANS;
    case "array":
      return BAD_ARRAYS;
    case "object":
      return BAD_OBJECTS;
    default:
      return [null, "x", 1e308];
  }
}

/** A seeded PRNG (mulberry32), so the run is the same every time. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What may change when a request is refused, with why: nothing a person wrote. `*` is the whole
 * table.
 */
export const MAY_CHANGE_ON_REFUSAL: Record<string, string[]> = {
  // Counting refused attempts is the point of a rate limit (sign-ins, invitations, previews).
  rate_limits: ["*"],
  // A cache of evaluations, written on read (a read that is then refused may have filled it).
  goal_rollups: ["*"],
  team_view_answers: ["*"],
  // Touched on every authenticated request, refused or not.
  api_tokens: ["last_used_at"],
  sessions: ["last_seen_at", "expires_at"],
};

/** One table's columns as the fingerprint reads them. */
export interface TableColumns {
  name: string;
  columns: string[];
}

/** The application's tables and their columns, less what may change on a refusal. */
export async function fingerprintedTables(store: Store): Promise<TableColumns[]> {
  const rows =
    store.dialect === "sqlite"
      ? (
          await sql<{ table: string; column: string }>`
            select m.name as "table", p.name as "column"
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%'
            order by m.name, p.cid`.execute(store.db)
        ).rows
      : (
          await sql<{ table: string; column: string }>`
            select table_name as "table", column_name as "column" from information_schema.columns
            where table_schema = 'public' and table_name not like 'kysely_%'
            order by table_name, ordinal_position`.execute(store.db)
        ).rows;
  const tables = new Map<string, string[]>();
  for (const r of rows) {
    if (r.table === "fuzz_writes") continue;
    const skip = MAY_CHANGE_ON_REFUSAL[r.table];
    if (skip?.includes("*") || skip?.includes(r.column)) continue;
    tables.set(r.table, [...(tables.get(r.table) ?? []), r.column]);
  }
  return [...tables].map(([name, columns]) => ({ name, columns }));
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/**
 * One statement that reads, for every table, its row count and the text of every row (SQLite) or
 * an md5 of it (PostgreSQL), in a stable order.
 */
export function fingerprintQuery(store: Store, tables: TableColumns[]): string {
  const parts = tables.map((t) => {
    if (store.dialect === "sqlite") {
      // A long text by its length, head and tail: reading whole 100,000-character texts after
      // every write made the run quadratic. Any change of length, start or end still shows.
      const cell = (c: string) =>
        `case when length(${q(c)}) > 256 then length(${q(c)}) || '~' || quote(substr(${q(c)}, 1, 128)) || quote(substr(${q(c)}, -128)) else quote(${q(c)}) end`;
      const row = t.columns.map(cell).join(" || ',' || ");
      return `select '${t.name}' as t, (select count(*) || ':' || coalesce(group_concat(r, '|'), '') from (select ${row} as r from ${q(t.name)} order by rowid)) as v`;
    }
    const row = `row(${t.columns.map(q).join(", ")})::text`;
    return `select '${t.name}' as t, (select count(*)::text || ':' || coalesce(md5(string_agg(${row}, '|' order by ${row})), '') from ${q(t.name)}) as v`;
  });
  return parts.join(" union all ");
}

/** Runs the fingerprint query: table → its fingerprint. */
export async function fingerprint(store: Store, query: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ t: string; v: string }>`${sql.raw(query)}`.execute(store.db);
  return new Map(rows.map((r) => [r.t, r.v]));
}

/** The tables whose fingerprints differ. */
export function changedTables(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [t, v] of a) if (b.get(t) !== v) out.push(t);
  for (const t of b.keys()) if (!a.has(t)) out.push(t);
  return out;
}

/**
 * Triggers on every table record which tables a statement wrote, so after a request only those
 * tables are fingerprinted again. A table's excluded columns (MAY_CHANGE_ON_REFUSAL) do not fire
 * its update trigger. SQLite: temporary triggers on the connection the app shares (made again
 * after each reopen). PostgreSQL: statement triggers in the throwaway fuzzing database (made once,
 * before the snapshot), writing to `fuzz_writes`, which is not fingerprinted.
 */
export async function trackWrites(store: Store, tables: TableColumns[]): Promise<void> {
  if (store.dialect === "postgres") {
    await sql`create table if not exists fuzz_writes (t text)`.execute(store.db);
    await sql`create or replace function fuzz_log_write() returns trigger language plpgsql as
      $$ begin insert into fuzz_writes values (TG_TABLE_NAME); return null; end $$`.execute(store.db);
  } else {
    await sql`create temp table if not exists fuzz_writes (t text)`.execute(store.db);
  }
  for (const t of tables) {
    if (t.name === "fuzz_writes") continue;
    const name = t.name.replace(/\W/g, "_");
    for (const [event, what] of [
      ["i", "insert"],
      ["d", "delete"],
      ["u", `update of ${t.columns.map(q).join(", ")}`],
    ]) {
      const text =
        store.dialect === "postgres"
          ? `create or replace trigger fuzz_${name}_${event} after ${what} on ${q(t.name)} for each statement execute function fuzz_log_write()`
          : `create temp trigger if not exists fuzz_${name}_${event} after ${what} on main.${q(t.name)} begin insert into temp.fuzz_writes values ('${t.name}'); end`;
      await sql.raw(text).execute(store.db);
    }
  }
}

/** The tables written since the last call (after `trackWrites`). */
export async function writtenTables(store: Store): Promise<string[]> {
  const { rows } = await sql<{ t: string }>`delete from fuzz_writes returning t`.execute(store.db);
  return [...new Set(rows.map((r) => r.t))];
}

/** A fingerprint query for some tables only. */
export function someTables(tables: TableColumns[], names: string[]): TableColumns[] {
  return tables.filter((t) => names.includes(t.name));
}

/** SQLite's count of rows written on this connection since it opened (a query that also opens the driver). */
export async function sqliteWrites(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}
