import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { onTheWire } from "../../../test/helpers/wire.js";
import { openStore } from "../../store/db.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import { createCommitment } from "../collaboration/commitments.js";
import type { Actor, AppContext } from "../context.js";
import { createTeam } from "../people/accounts.js";
import { createGoal, updateGoal } from "../plans/goals.js";
import { addStep } from "../plans/steps.js";
import { type TeamOverview, teamOverview, teamOverviewReply } from "./teamview.js";

// The team view carries an entity tag; each process keeps copies of the answers it served and sends
// one again while its tag is current. After every kind of write that changes what it shows (through
// the app, or straight into the database), it must answer exactly what computing afresh answers,
// under a new tag.
describe.each(DIALECTS)("the team view's copies and tags on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let actor: Actor;
  let teamId: number;
  let goalIds: number[];
  let member: { id: number; name: string };
  let outsider: { id: number; name: string };
  const ctx = (): AppContext => fixedContext(db.store, "2026-11-21T10:00:00.000Z");

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    actor = (await actorFor(db.store)).actor;
    const c = ctx();
    teamId = (await createTeam(c, actor, { name: "Growth" })).id;
    const now = "2026-11-01T10:00:00.000Z";
    member = await createPerson(db.store.db, actor.workspaceId, "Mia", now);
    outsider = await createPerson(db.store.db, actor.workspaceId, "Sam", now);
    await db.store.db
      .insertInto("memberships")
      .values({ teamId, userId: member.id, role: "member", createdAt: now })
      .execute();
    goalIds = [];
    for (const title of ["Grow the newsletter", "Launch the podcast"]) {
      const goal = await createGoal(
        c,
        actor,
        buildGoal({ title, teamId, visibility: "team", startDate: "2026-11-01", dueDate: "2026-12-31" }),
      );
      goalIds.push(goal.id);
    }
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const tagOf = async (c: AppContext, query: Record<string, unknown> = {}) =>
    (await teamOverviewReply(c, actor, teamId, query)).etag;
  const read = (c: AppContext, query: Record<string, unknown> = {}) => teamOverview(c, actor, teamId, query);
  const fresh = (c: AppContext, query: Record<string, unknown> = {}) =>
    teamOverview(c, actor, teamId, query, { stored: false });

  it.skipIf(skip)(
    "serves the same answer under the same tag while nothing it shows changes, on every instance",
    async () => {
      const first = await teamOverviewReply(ctx(), actor, teamId);
      const other = openStore(db.config);
      try {
        const there = fixedContext(other, "2026-11-21T16:00:00.000Z");
        const here = fixedContext(db.store, "2026-11-21T16:00:00.000Z");
        // This instance sends the copy it kept; another one (another store on the same database)
        // computes the same answer, under the same tag.
        expect(await teamOverviewReply(here, actor, teamId)).toEqual(first);
        expect(await teamOverviewReply(there, actor, teamId)).toEqual(first);
        // Another window length is another answer.
        expect((await read(here, { weeks: 2 })).weeks).toBe(2);
        // A write through the other instance shows here at once: the copy's tag is no longer current.
        await other.db.updateTable("teams").set({ name: "Growth team" }).where("id", "=", teamId).execute();
        expect((await read(here)).team.name).toBe("Growth team");
        expect((await read(there)).team.name).toBe("Growth team");
        await other.db.updateTable("teams").set({ name: "Growth" }).where("id", "=", teamId).execute();
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(skip)("never answers 304 to one reader with another reader's tag", async () => {
    // The leader and a member of the same team may be shown different answers (what each may do,
    // what each may see): a tag one of them holds (a shared browser's cache) must not spare the
    // other a fresh answer.
    const c = ctx();
    const asMember: Actor = { userId: member.id, workspaceId: actor.workspaceId };
    const leaders = await teamOverviewReply(c, actor, teamId);
    const members = await teamOverviewReply(c, asMember, teamId);
    expect(members.etag).not.toBe(leaders.etag);
    const offered = await teamOverviewReply(c, asMember, teamId, {}, leaders.etag);
    expect(offered.body).not.toBeNull();
    expect(offered.etag).toBe(members.etag);
    // Each reader's own tag still spares them the answer.
    expect((await teamOverviewReply(c, asMember, teamId, {}, members.etag)).body).toBeNull();
  });

  it.skipIf(skip)(
    "sends nothing to a reader who holds the current tag, and a new tag after a write",
    async () => {
      const c = ctx();
      const first = await teamOverviewReply(c, actor, teamId);
      expect(first.body).not.toBeNull();
      expect(first.etag).toMatch(/^"[^"]+"$/);
      // Asked again with that tag (weak or strong, among others): nothing to send, on any instance.
      const other = openStore(db.config);
      try {
        const there = fixedContext(other, "2026-11-21T16:00:00.000Z");
        for (const header of [first.etag, `W/${first.etag}`, `"something-else", ${first.etag}`])
          expect(await teamOverviewReply(there, actor, teamId, {}, header)).toEqual({
            etag: first.etag,
            body: null,
          });
        // Another window is another answer, with another tag.
        const twoWeeks = await teamOverviewReply(c, actor, teamId, { weeks: 2 }, first.etag);
        expect(twoWeeks.body).not.toBeNull();
        expect(twoWeeks.etag).not.toBe(first.etag);
        // A write through the other instance: the old tag gets the new answer and a new tag.
        await createCheckin(there, actor, goalIds[0] as number, { confidence: "at-risk" });
        const after = await teamOverviewReply(c, actor, teamId, {}, first.etag);
        expect(after.etag).not.toBe(first.etag);
        expect(after.body?.toString()).toBe(JSON.stringify(await fresh(c)));
        expect((await teamOverviewReply(there, actor, teamId, {}, after.etag)).body).toBeNull();
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(skip)("honours no tag and serves no copy that another version of the code made", async () => {
    const c = ctx();
    const mine = await teamOverviewReply(c, actor, teamId);
    // Another version answers in this process: it keeps its copy, under its own tag.
    const theirs = await teamOverviewReply(c, actor, teamId, {}, null, { version: "team-view.0/rollup.0" });
    expect(theirs.etag).not.toBe(mine.etag);
    // This version neither honours that tag nor sends that copy: it computes again, under its own.
    const again = await teamOverviewReply(c, actor, teamId, {}, theirs.etag);
    expect(again.etag).toBe(mine.etag);
    expect(String(again.body)).toBe(JSON.stringify(await fresh(c)));
  });

  it.skipIf(skip)("answers as computing afresh does after every kind of write", async () => {
    const c = ctx();
    const [a, b] = goalIds as [number, number];
    const writes: [string, () => Promise<unknown>, (o: TeamOverview) => void][] = [
      [
        "a goal renamed (its own row only)",
        () =>
          db.store.db
            .updateTable("goals")
            .set({ title: "Grow the newsletter to 5,000" })
            .where("id", "=", a)
            .execute(),
        (o) =>
          expect(o.alignment.goals.find((g) => g.goalId === a)?.title).toBe("Grow the newsletter to 5,000"),
      ],
      [
        "a check-in off track",
        () => createCheckin(c, actor, b, { confidence: "off-track" }),
        (o) => expect(o.atRisk.find((g) => g.goalId === b)?.confidence).toBe("off-track"),
      ],
      [
        "the team renamed",
        () =>
          db.store.db.updateTable("teams").set({ name: "Growth & Reach" }).where("id", "=", teamId).execute(),
        (o) => expect(o.team.name).toBe("Growth & Reach"),
      ],
      [
        "a member renamed",
        () =>
          db.store.db.updateTable("users").set({ name: "Mia Chen" }).where("id", "=", member.id).execute(),
        (o) => expect(o.people.find((p) => p.userId === member.id)?.name).toBe("Mia Chen"),
      ],
      [
        "a member's role changed",
        () =>
          db.store.db
            .updateTable("memberships")
            .set({ role: "lead" })
            .where("teamId", "=", teamId)
            .where("userId", "=", member.id)
            .execute(),
        (o) => expect(o.people.find((p) => p.userId === member.id)?.role).toBe("lead"),
      ],
      [
        "a step due in the window, owned by someone outside the team",
        () =>
          addStep(c, actor, a, {
            text: "Send Sam the sponsor list",
            dueDate: "2026-11-19",
            ownerId: outsider.id,
          }),
        (o) => expect(o.people.find((p) => p.userId === outsider.id)?.missed).toBe(1),
      ],
      [
        "the person outside the team renamed",
        () =>
          db.store.db.updateTable("users").set({ name: "Sam Ortiz" }).where("id", "=", outsider.id).execute(),
        (o) => expect(o.people.find((p) => p.userId === outsider.id)?.name).toBe("Sam Ortiz"),
      ],
      [
        "a commitment kept in the window",
        () =>
          db.store.db
            .insertInto("commitments")
            .values({
              workspaceId: actor.workspaceId,
              userId: member.id,
              goalId: b,
              stepId: null,
              text: "Book the first guest",
              dueDate: "2026-11-20",
              status: "kept",
              witnessTeamId: null,
              createdAt: "2026-11-10T10:00:00.000Z",
              resolvedAt: "2026-11-20T10:00:00.000Z",
            })
            .execute(),
        (o) => expect(o.people.find((p) => p.userId === member.id)?.kept).toBe(1),
      ],
      [
        "a commitment made through the app",
        () => createCommitment(c, actor, { goalId: a, text: "Draft the launch post", dueDate: "2026-11-21" }),
        (o) => expect(o.pending).toBeGreaterThan(0),
      ],
      [
        "a goal made private",
        () => updateGoal(c, actor, b, { visibility: "private" }),
        (o) => expect(o.alignment.goals.map((g) => g.goalId)).toEqual([a]),
      ],
      [
        "a new goal filed under the team",
        () =>
          createGoal(
            c,
            actor,
            buildGoal({ title: "Hire an editor", teamId, visibility: "team", startDate: "2026-11-01" }),
          ),
        (o) => expect(o.alignment.goals.map((g) => g.title)).toContain("Hire an editor"),
      ],
    ];
    let tag = await tagOf(c);
    for (const [what, write, shows] of writes) {
      await write();
      const answer = await read(c);
      expect(answer, what).toEqual(await fresh(c));
      shows(answer);
      const now = await tagOf(c);
      expect(now, what).not.toBe(tag);
      tag = now;
    }
  });

  it.skipIf(skip)(
    "counts the goals each reader may see, in the team or outside it, and a member's check-in shows at once",
    async () => {
      const c = ctx();
      // A team the workspace owner leads from outside (not a member), with one member, Noor.
      const other = (await createTeam(c, actor, { name: "Field" })).id;
      await db.store.db
        .deleteFrom("memberships")
        .where("teamId", "=", other)
        .where("userId", "=", actor.userId)
        .execute();
      const noor = await createPerson(db.store.db, actor.workspaceId, "Noor", "2026-11-01T10:00:00.000Z");
      await db.store.db
        .insertInto("memberships")
        .values({ teamId: other, userId: noor.id, role: "member", createdAt: "2026-11-01T10:00:00.000Z" })
        .execute();
      const asNoor: Actor = { userId: noor.id, workspaceId: actor.workspaceId };
      const goal = (visibility: string, title: string) =>
        createGoal(c, asNoor, buildGoal({ title, teamId: other, visibility, startDate: "2026-11-01" }));
      const shared = (await goal("team", "Visit every client")).id;
      const open = (await goal("workspace", "Publish the field guide")).id;
      await goal("private", "Learn Portuguese");
      const titles = (o: TeamOverview) => o.alignment.goals.map((g) => g.goalId);
      // A member sees the team's shared goals; the workspace owner outside it only the open one.
      const view = (who: Actor) => teamOverviewReply(c, who, other);
      const fromOutside = await view(actor);
      const fromInside = await view(asNoor);
      expect(titles(JSON.parse(String(fromInside.body)))).toEqual([shared, open]);
      expect(titles(JSON.parse(String(fromOutside.body)))).toEqual([open]);
      expect(String(fromInside.body)).toBe(
        JSON.stringify(await teamOverview(c, asNoor, other, {}, { stored: false })),
      );
      // Noor checks in on the team's goal: her answer changes at once, under a new tag; the owner's,
      // which does not show that goal, keeps its tag.
      await createCheckin(c, asNoor, shared, { confidence: "off-track" });
      const inside = await teamOverviewReply(c, asNoor, other, {}, fromInside.etag);
      expect(inside.etag).not.toBe(fromInside.etag);
      const answer = JSON.parse(String(inside.body)) as TeamOverview;
      expect(answer.atRisk.find((g) => g.goalId === shared)?.confidence).toBe("off-track");
      expect(answer).toEqual(await teamOverview(c, asNoor, other, {}, { stored: false }));
      expect((await teamOverviewReply(c, actor, other, {}, fromOutside.etag)).body).toBeNull();
      // On the open goal: both answers change at once.
      await createCheckin(c, asNoor, open, { confidence: "at-risk" });
      for (const [who, before] of [
        [asNoor, inside.etag],
        [actor, fromOutside.etag],
      ] as const) {
        const after = await teamOverviewReply(c, who, other, {}, before);
        expect(after.etag).not.toBe(before);
        const o = JSON.parse(String(after.body)) as TeamOverview;
        expect(o.atRisk.find((g) => g.goalId === open)?.confidence).toBe("at-risk");
        expect(o).toEqual(await teamOverview(c, who, other, {}, { stored: false }));
      }
    },
  );

  // Registered on PostgreSQL alone (a test skipped on SQLite would count as skipped under CI).
  if (d === "postgres")
    it.skipIf(skip)(
      "checks its tag in one round trip on one connection on PostgreSQL, every query prepared",
      async () => {
        const c = ctx();
        const first = await teamOverviewReply(c, actor, teamId);
        // Before pgteam22: the team, the members and the reader's facts on three connections, then
        // the goals' revisions — two round trips in sequence, four trips, three connections.
        const again = () => teamOverviewReply(c, actor, teamId, {}, first.etag);
        await again(); // the statements are parsed on this connection once
        let reply: Awaited<ReturnType<typeof again>> | undefined;
        expect(
          await onTheWire(async () => {
            reply = await again();
          }),
        ).toEqual({ trips: 1, connections: 1, unnamed: 0 });
        expect(reply).toEqual({ etag: first.etag, body: null });
        // The copy (no tag sent): the same single round trip, and the same answer as computing afresh.
        let copy: Awaited<ReturnType<typeof again>> | undefined;
        expect(
          await onTheWire(async () => {
            copy = await teamOverviewReply(c, actor, teamId);
          }),
        ).toEqual({ trips: 1, connections: 1, unnamed: 0 });
        expect(JSON.parse(String(copy?.body))).toEqual(await fresh(c));
      },
    );

  it.skipIf(skip)("computes again on the next day, and a past day under a tag of its own", async () => {
    const today = await tagOf(ctx());
    const tomorrow = fixedContext(db.store, "2026-11-22T09:00:00.000Z");
    const next = await read(tomorrow);
    expect(next.asOf).toBe("2026-11-22");
    expect(next).toEqual(await fresh(tomorrow));
    const nextTag = await tagOf(tomorrow);
    expect(nextTag).not.toBe(today);
    const past = await read(tomorrow, { asOf: "2026-11-15" });
    expect(past.asOf).toBe("2026-11-15");
    expect(past).toEqual(await fresh(tomorrow, { asOf: "2026-11-15" }));
    expect(await tagOf(tomorrow, { asOf: "2026-11-15" })).not.toBe(nextTag);
    // The past day's read left today's copy and tag alone.
    expect(await teamOverviewReply(tomorrow, actor, teamId, {}, nextTag)).toEqual({
      etag: nextTag,
      body: null,
    });
  });
});
