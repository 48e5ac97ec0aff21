/**
 * The leak scan (issue 16): an owner and a member of one workspace and an outsider in another each
 * write unique marker text into private goals and everything a plan holds (key results, steps,
 * resources, barriers, check-ins, comments, commitments); the member also writes a team goal.
 * Then every read the API has — every GET operation of the OpenAPI document, with every id any of
 * them made, every enum value of its query, the exports (CSV, Markdown, iCalendar, and the JSON
 * export of the app layer), each person's calendar feed and the team view — is called as each
 * person, and no answer may hold a marker that person may not read (docs/permissions.md: a
 * private goal is its owner's alone; a team goal is its team's; nothing crosses workspaces).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportPlans } from "../../src/app/exports/exports.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { fixedContext } from "../helpers/factories.js";
import { baseValue, type Operation, operationsOf, resolve } from "../helpers/fuzz.js";
import { type Client, type Person, signUp, testApp } from "../helpers/http.js";
import { makeOtherWorkspace, must, PASSWORD, signIn } from "../helpers/matrix.js";

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI JSON is walked loosely
type Json = any;

const PEOPLE = ["owner", "member", "outsider"] as const;
type Who = (typeof PEOPLE)[number];

/** A marker: unique, letters and digits only, so no format escapes or folds it differently. */
function marker(who: Who, what: string): string {
  return `ZQX${who.toUpperCase()}${what.toUpperCase().replace(/[^A-Z0-9]/g, "")}QZ`;
}

/** Ids of what each person made, by kind (the nouns of the API's paths). */
type Pools = Record<string, number[]>;

interface Made {
  /** Markers only their author may read. */
  privateMarkers: string[];
  /** Markers of the member's team goal: the team may read them, the outsider not. */
  teamMarkers: string[];
}

/** Writes one person's private plan, full of markers, through the API; returns the markers. */
async function writePlan(p: Person, who: Who, pools: Pools, visibility: "private" | "team", teamId?: number) {
  const m = (what: string) => marker(who, `${visibility}${what}`);
  const markers: string[] = [];
  const mk = (what: string) => {
    const s = m(what);
    markers.push(s);
    return s;
  };
  const add = (kind: string, id: number) => {
    pools[kind] = [...(pools[kind] ?? []), id];
  };
  const post = async <T = { id: number }>(path: string, body: unknown) =>
    must<T>(p.api, { method: "POST", path, body }, 201);

  const goal = await post("/api/goals", {
    title: `Goal ${mk("title")}`,
    why: `Because ${mk("why")}`,
    successLooksLike: `Done when ${mk("success")}`,
    values: [mk("value")],
    visibility,
    ...(teamId ? { teamId } : {}),
    startDate: "2026-11-01",
    dueDate: "2026-12-20",
  });
  add("goals", goal.id);
  const g = `/api/goals/${goal.id}`;
  const kr = await post(`${g}/key-results`, {
    title: `KR ${mk("kr")}`,
    startValue: 0,
    targetValue: 10,
    unit: mk("unit"),
  });
  add("key-results", kr.id);
  const step = await post(`${g}/steps`, { text: `Email ${mk("step")}`, dueDate: "2026-11-22" });
  add("steps", step.id);
  const done = await post(`${g}/steps`, { text: `Call ${mk("donestep")}`, dueDate: "2026-11-20" });
  add("steps", done.id);
  const repeat = await post(`${g}/steps`, {
    text: `Send ${mk("repeat")}`,
    every: "every Monday",
    dueDate: "2026-11-23",
  });
  add("steps", repeat.id);
  const resource = await post(`${g}/resources`, {
    kind: "person",
    name: `Dana ${mk("resource")}`,
    ask: mk("ask"),
  });
  add("resources", resource.id);
  const barrier = await post(`${g}/barriers`, {
    obstacle: `Approval slips ${mk("obstacle")}`,
    planB: `If approval slips, then I ask ${mk("planb")}`,
    likelihood: "high",
  });
  add("barriers", barrier.id);
  const checkin = await post(`${g}/checkins`, {
    krValues: [{ keyResultId: kr.id, value: 4 }],
    confidence: "at-risk",
    doneText: `Did ${mk("donetext")}`,
    nextStep: `Next ${mk("nextstep")}`,
    note: `Note ${mk("note")}`,
    stepsDone: [done.id],
    barriersHit: [barrier.id],
  });
  add("checkins", checkin.id);
  await post(`/api/checkins/${checkin.id}/comments`, { body: `Comment ${mk("comment")}` });
  const commitment = await post("/api/commitments", {
    text: `Promise ${mk("commitment")}`,
    dueDate: "2026-11-27",
  });
  add("commitments", commitment.id);
  const onStep = await post("/api/commitments", { stepId: step.id, dueDate: "2026-11-28" });
  add("commitments", onStep.id);
  return markers;
}

describe.each(DIALECTS)("the leak scan on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: Client;
  const people = {} as Record<Who, Person>;
  const workspace = {} as Record<Who, number>;
  const made = {} as Record<Who, Made>;
  const pools: Pools = {};
  const feeds = {} as Record<Who, string>;
  let teamId: number;
  let doc: Json;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = testApp(fixedContext(db.store));
    people.owner = await signUp(app, { email: "owner@example.com", name: "Olu Owner", password: PASSWORD });
    teamId = (
      await must<{ id: number }>(
        people.owner.api,
        { method: "POST", path: "/api/teams", body: { name: "Growth" } },
        201,
      )
    ).id;
    pools.teams = [teamId];
    const invite = await must<{ token: string }>(
      people.owner.api,
      {
        method: "POST",
        path: "/api/invitations",
        body: { teamId, role: "member", email: "member@example.com" },
      },
      201,
    );
    people.member = await signUp(app, {
      email: "member@example.com",
      name: "Mia Member",
      password: PASSWORD,
      inviteToken: invite.token,
    });
    const other = await makeOtherWorkspace(db.store, "outsider@example.com");
    people.outsider = await signIn(app, "outsider@example.com");
    for (const who of PEOPLE) {
      const session = await must<{ workspace: { id: number } }>(
        people[who].api,
        { method: "GET", path: "/api/auth/session" },
        200,
      );
      workspace[who] = session.workspace.id;
    }
    expect(workspace.outsider).toBe(other.workspaceId);
    for (const who of PEOPLE)
      made[who] = { privateMarkers: await writePlan(people[who], who, pools, "private"), teamMarkers: [] };
    made.member.teamMarkers = await writePlan(people.member, "member", pools, "team", teamId);
    // A delegation and a playbook of the team, so their reads have something to show.
    const step = pools.steps?.[pools.steps.length - 3] as number;
    const delegation = await must<{ id: number }>(
      people.member.api,
      {
        method: "POST",
        path: `/api/steps/${step}/delegate`,
        body: { assigneeId: people.owner.userId, doneLooksLike: marker("member", "teamdelegation") },
      },
      201,
    );
    made.member.teamMarkers.push(marker("member", "teamdelegation"));
    pools.delegations = [delegation.id];
    for (const who of PEOPLE) {
      const feed = await must<{ path: string }>(
        people[who].api,
        { method: "POST", path: "/api/calendar/token" },
        201,
      );
      feeds[who] = feed.path;
    }
    doc = await (await app.request("/api/openapi.json")).json();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  /** Markers `reader` may not see. */
  function forbidden(reader: Who): string[] {
    const out: string[] = [];
    for (const who of PEOPLE) {
      if (who === reader) continue;
      out.push(...made[who].privateMarkers);
      // The member's team goal: the owner is in the team, the outsider in another workspace.
      if (reader === "outsider") out.push(...made[who].teamMarkers);
    }
    return out;
  }

  /** Every URL of a GET operation: each combination of ids made by anyone, each enum value of its query. */
  function urlsOf(op: Operation, reader: Who): string[] {
    const pathParams = op.params.filter((p) => p.in === "path");
    let paths = [op.path];
    for (const p of pathParams) {
      const noun = op.path.split("/")[2] ?? "";
      const values: string[] =
        p.name === "kind"
          ? ["slack", "teams"]
          : p.name === "token"
            ? ["not-a-token"]
            : p.name === "file"
              ? // A feed's address is its secret (a capability URL): a reader knows their own only.
                [feeds[reader].split("/").pop() as string, "tlc_not-a-feed.ics"]
              : p.name === "playbookId"
                ? (pools.playbooks ?? [1]).map(String)
                : (pools[p.name === "childId" ? "goals" : noun] ?? [1]).map(String);
      paths = paths.flatMap((path) => values.map((v) => path.replace(`{${p.name}}`, v)));
    }
    const queries: string[] = [""];
    for (const p of op.params.filter((x) => x.in === "query")) {
      const s = resolve(doc, p.schema);
      if (Array.isArray(s.enum)) for (const v of s.enum) queries.push(`${p.name}=${v}`);
      else if (p.name === "all" || p.name === "unread") queries.push(`${p.name}=true`);
      else if (p.name === "weeks") queries.push("weeks=52");
      else if (p.name === "limit") queries.push("limit=500");
      else if (p.required)
        queries.push(
          `${p.name}=${encodeURIComponent(String(baseValue(doc, p.schema, p.name, () => undefined)))}`,
        );
    }
    return paths.flatMap((path) => queries.map((q) => (q ? `${path}?${q}` : path)));
  }

  /** iCalendar folds lines at 75 octets; unfolded, a marker reads whole. */
  const unfold = (text: string) => text.replace(/\r?\n[ \t]/g, "");

  it.skipIf(skip)(
    "shows nobody a marker of a private goal, or of a team they are not in, in any read",
    async () => {
      const gets = operationsOf(doc).filter((o) => o.method === "GET");
      expect(gets.length).toBeGreaterThan(40);
      const leaks: string[] = [];
      const seenOwn = new Map<Who, Set<string>>(PEOPLE.map((w) => [w, new Set()]));
      let reads = 0;
      for (const reader of PEOPLE) {
        const bad = forbidden(reader);
        const own = [...made[reader].privateMarkers, ...made[reader].teamMarkers];
        for (const op of gets) {
          for (const url of urlsOf(op, reader)) {
            const res = await people[reader].api.request(url);
            const text = unfold(await res.text());
            reads++;
            for (const m of bad)
              if (text.includes(m)) leaks.push(`${reader} GET ${url} (${res.status}) shows ${m}`);
            for (const m of own) if (text.includes(m)) seenOwn.get(reader)?.add(m);
          }
        }
        // The JSON export the CLI writes for a person (the app layer's plans export).
        const json = JSON.stringify(
          await exportPlans(fixedContext(db.store), {
            userId: people[reader].userId,
            workspaceId: workspace[reader],
          }),
        );
        for (const m of bad) if (json.includes(m)) leaks.push(`${reader}'s JSON export shows ${m}`);
        for (const m of own) if (json.includes(m)) seenOwn.get(reader)?.add(m);
        // Anyone's calendar feed, read by its address alone, shows its owner's plans only.
        const feed = unfold(await (await app.request(feeds[reader])).text());
        for (const m of bad) if (feed.includes(m)) leaks.push(`${reader}'s calendar feed shows ${m}`);
      }
      expect(leaks.slice(0, 30)).toEqual([]);
      expect(reads).toBeGreaterThan(300);
      // The scan is not vacuous: each person finds every marker of their own somewhere.
      for (const who of PEOPLE) {
        const missing = [...made[who].privateMarkers, ...made[who].teamMarkers].filter(
          (m) => !seenOwn.get(who)?.has(m),
        );
        expect(missing, `${who} never saw`).toEqual([]);
      }
    },
  );
});
