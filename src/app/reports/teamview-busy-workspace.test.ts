import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal, buildTeam, fixedContext } from "../../../test/helpers/factories.js";
import * as ft from "../../store/repos/followthrough.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { createGoal } from "../plans/goals.js";
import { teamOverview, teamOverviewReply } from "./teamview.js";

// A leader's team view in a workspace where most goals belong to other people (issue 17, team26):
// it counts the team's shared goals and its members' workspace-visible ones, nothing else; its tag
// (checked on every read, and what lets a copy be sent again) moves with those goals only, so
// other teams' check-ins still get the leader a 304, and a member's goal filed under no team still
// shows its check-ins at once.
describe.each(DIALECTS)("the team view in a busy workspace on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let leader: Actor;
  let mia: Actor;
  let sam: Actor;
  let teamId: number;
  let counted: number[];
  let miasOwn: number;
  let samsGoals: number[];
  const ctx = (): AppContext => fixedContext(db.store, "2026-11-21T10:00:00.000Z");

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const owner = (await actorFor(db.store)).actor;
    const now = "2026-11-01T10:00:00.000Z";
    const person = async (name: string): Promise<Actor> => ({
      userId: (await createPerson(db.store.db, owner.workspaceId, name, now)).id,
      workspaceId: owner.workspaceId,
    });
    leader = await person("Lea");
    mia = await person("Mia");
    sam = await person("Sam");
    teamId = await buildTeam(db.store, owner.workspaceId, "Growth", [
      { userId: leader.userId, role: "leader" },
      { userId: mia.userId, role: "member" },
    ]);
    const sales = await buildTeam(db.store, owner.workspaceId, "Sales", [
      { userId: sam.userId, role: "leader" },
    ]);
    const c = ctx();
    const goal = async (who: Actor, over: Record<string, unknown>) =>
      (await createGoal(c, who, buildGoal({ dueDate: "2026-12-31", ...over }))).id;
    // Most of the workspace: another team's goals, shared with that team or with everyone.
    samsGoals = [];
    for (let i = 0; i < 12; i++)
      samsGoals.push(
        await goal(sam, {
          title: `Close deal ${i + 1}`,
          teamId: sales,
          visibility: i % 2 ? "team" : "workspace",
        }),
      );
    samsGoals.push(await goal(sam, { title: "Call every lapsed client", visibility: "workspace" }));
    const teams = await goal(leader, { title: "Launch the podcast", teamId, visibility: "team" });
    const shared = await goal(mia, { title: "Grow the newsletter", teamId, visibility: "workspace" });
    miasOwn = await goal(mia, { title: "Write the style guide", visibility: "workspace" });
    await goal(mia, { title: "Learn Spanish", visibility: "private" });
    counted = [teams, shared, miasOwn].sort((a, b) => a - b);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("counts the team's shared goals and its members' open ones, no one else's", async () => {
    const view = await teamOverview(ctx(), leader, teamId, {}, { stored: false });
    expect(view.alignment.goals.map((g) => g.goalId)).toEqual(counted);
    expect(view.people.map((p) => [p.name, p.activeGoals])).toEqual([
      ["Lea", 1],
      ["Mia", 2],
    ]);
    // The tag's list of goals is the answer's, in the same order, however it is read.
    const members = [leader.userId, mia.userId];
    const revisions = await ft.teamGoalRevisionsForMember(db.store.db, leader.workspaceId, teamId, [
      "active",
      "done",
    ]);
    expect(revisions.split(",").map((p) => Number(p.split(":")[0]))).toEqual(counted);
    expect(
      await ft.teamGoalRevisions(
        db.store.db,
        { userId: leader.userId, workspaceId: leader.workspaceId, teamIds: null },
        teamId,
        members,
        ["active", "done"],
      ),
    ).toBe(revisions);
  });

  it.skipIf(skip)(
    "keeps its tag through other teams' check-ins and moves it with a member's own shared goal",
    async () => {
      const c = ctx();
      const first = await teamOverviewReply(c, leader, teamId);
      expect(first.body).not.toBeNull();
      // Check-ins on goals outside the team: the leader's tag is still current (nothing to send).
      for (const id of samsGoals.slice(0, 3)) await createCheckin(c, sam, id, { confidence: "at-risk" });
      expect(await teamOverviewReply(c, leader, teamId, {}, first.etag)).toEqual({
        etag: first.etag,
        body: null,
      });
      // Mia's check-in on her workspace-visible goal filed under no team: a new answer showing it.
      await createCheckin(c, mia, miasOwn, { confidence: "off-track" });
      const after = await teamOverviewReply(c, leader, teamId, {}, first.etag);
      expect(after.etag).not.toBe(first.etag);
      const shown = JSON.parse(after.body?.toString() ?? "null");
      expect(shown).toEqual(await teamOverview(c, leader, teamId, {}, { stored: false }));
      expect(shown.atRisk.map((g: { goalId: number }) => g.goalId)).toContain(miasOwn);
    },
  );
});
