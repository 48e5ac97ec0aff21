import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, ownerClient, type Person, signUp, testApp } from "../../../test/helpers/http.js";

const send = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

async function call<T = Record<string, unknown>>(
  client: Client,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const res = await client.request(path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

interface Playbook {
  id: number;
  teamId: number | null;
  title: string;
  version: number;
  body: string;
  html: string;
}

const TEMPLATE = [
  "# Onboard a new customer",
  "",
  "Use this when a contract is signed. <script>alert('x')</script>",
  "",
  "- [ ] Send the welcome pack to the customer",
  "- [ ] Book the kickoff call with their lead",
  "",
  "## Plan B",
  "- If the kickoff slips past a week, then I ask their sponsor for a 15-minute slot",
].join("\n");

describe.each(DIALECTS)("playbook routes on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Client & { owner: Person };
  let mia: Person;
  let omar: Person;
  let teamId: number;
  let playbook: Playbook;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const ctx = fixedContext(db.store);
    owner = await ownerClient(ctx);
    const app = testApp(ctx);
    const team = await call<{ id: number }>(owner, "/api/teams", send("POST", { name: "Customer success" }));
    teamId = team.body.id;
    const toTeam = await call<{ token: string }>(
      owner,
      "/api/invitations",
      send("POST", { teamId, role: "member" }),
    );
    mia = await signUp(app, { email: "mia@example.com", name: "Mia Member", inviteToken: toTeam.body.token });
    const toWorkspace = await call<{ token: string }>(owner, "/api/invitations", send("POST", {}));
    omar = await signUp(app, {
      email: "omar@example.com",
      name: "Omar Outsider",
      inviteToken: toWorkspace.body.token,
    });
    const created = await call<Playbook>(
      owner,
      "/api/playbooks",
      send("POST", { title: "Onboarding", body: TEMPLATE, teamId }),
    );
    expect(created.status).toBe(201);
    playbook = created.body;
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("answers the body with sanitized HTML next to it", async () => {
    expect(playbook.body).toContain("<script>");
    expect(playbook.html).toContain("<h1>Onboard a new customer</h1>");
    expect(playbook.html).toContain('<input type="checkbox" disabled /> Send the welcome pack');
    expect(playbook.html).not.toMatch(/<script|alert/);
    const got = await call<Playbook>(omar.api, `/api/playbooks/${playbook.id}`);
    expect(got.status).toBe(200);
    expect(got.body.html).toBe(playbook.html);

    const hostile = await call<Playbook>(
      owner,
      "/api/playbooks",
      send("POST", {
        title: "Hostile",
        body: '<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href="javascript:alert(2)">y</a>\n\n<iframe src="https://evil.example"></iframe>',
      }),
    );
    expect(hostile.status).toBe(201);
    expect(hostile.body.html).not.toMatch(/<img|onerror|javascript:|<iframe/i);
  });

  it.skipIf(skip)("lets team members edit a team's playbook and others only read it", async () => {
    const edited = await call<Playbook>(
      mia.api,
      `/api/playbooks/${playbook.id}`,
      send("PUT", {
        body: TEMPLATE.replace("Book the kickoff call", "Book the 30-minute kickoff call"),
        note: "Say how long the kickoff is",
      }),
    );
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);

    const refused = await call<{ error: { code: string; message: string } }>(
      omar.api,
      `/api/playbooks/${playbook.id}`,
      send("PUT", { body: "Omar's rewrite" }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("playbook_read_only");
    expect(refused.body.error.message).toMatch(/members or the workspace owner/);
    const teamCreate = await call(
      omar.api,
      "/api/playbooks",
      send("POST", { title: "Not my team", body: "x", teamId }),
    );
    expect(teamCreate.status).toBe(403);
    expect((await call<Playbook>(omar.api, `/api/playbooks/${playbook.id}`)).body.version).toBe(2);

    // A playbook without a team is anyone's in the workspace to improve.
    const open = await call<Playbook>(owner, "/api/playbooks", send("POST", { title: "Open", body: "v1" }));
    const byOmar = await call<Playbook>(
      omar.api,
      `/api/playbooks/${open.body.id}`,
      send("PUT", { body: "v2" }),
    );
    expect(byOmar.status).toBe(200);
  });

  it.skipIf(skip)("lists versions with who saved them, and diffs two versions", async () => {
    const versions = await call<{
      items: { version: number; authorId: number; authorName: string; note: string | null }[];
    }>(omar.api, `/api/playbooks/${playbook.id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v) => [v.version, v.authorId, v.authorName, v.note])).toEqual([
      [1, owner.owner.userId, "Olu Owner", null],
      [2, mia.userId, "Mia Member", "Say how long the kickoff is"],
    ]);

    const diff = await call<{
      from: number;
      to: number;
      authorId: number;
      patch: string;
      added: number;
      removed: number;
    }>(omar.api, `/api/playbooks/${playbook.id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2, authorId: mia.userId, added: 1, removed: 1 });
    expect(diff.body.patch).toContain("-- [ ] Book the kickoff call with their lead");
    expect(diff.body.patch).toContain("+- [ ] Book the 30-minute kickoff call with their lead");
    expect(diff.body.patch).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);

    expect((await call(owner, `/api/playbooks/${playbook.id}/diff?from=1&to=9`)).status).toBe(404);
    expect((await call(owner, `/api/playbooks/999999/diff?from=1&to=2`)).status).toBe(404);
    for (const q of ["from=abc&to=2", "from=0&to=2", "from=1.5&to=2", "from=1", "", "from=-1&to=2"]) {
      const bad = await call<{ error: { code: string } }>(owner, `/api/playbooks/${playbook.id}/diff?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.code).toBe("invalid_input");
    }
  });

  it.skipIf(skip)("starts a plan from the template: steps, barriers and the playbook linked", async () => {
    const res = await call<{
      goal: { id: number; title: string; ownerId: number; dueDate: string | null };
      steps: { text: string }[];
      barriers: { obstacle: string; planB: string }[];
      warnings: { code: string }[];
    }>(omar.api, `/api/playbooks/${playbook.id}/plans`, send("POST", { dueDate: "2027-02-28" }));
    expect(res.status).toBe(201);
    expect(res.body.goal).toMatchObject({ title: "Onboarding", ownerId: omar.userId, dueDate: "2027-02-28" });
    expect(res.body.steps.map((s) => s.text)).toEqual([
      "Send the welcome pack to the customer",
      "Book the 30-minute kickoff call with their lead",
    ]);
    expect(res.body.barriers).toEqual([
      expect.objectContaining({
        obstacle: "The kickoff slips past a week",
        planB: "If the kickoff slips past a week, then I ask their sponsor for a 15-minute slot",
      }),
    ]);
    expect(Array.isArray(res.body.warnings)).toBe(true);
    const plan = await call<{ steps: unknown[]; barriers: unknown[] }>(
      omar.api,
      `/api/goals/${res.body.goal.id}/plan`,
    );
    expect([plan.body.steps.length, plan.body.barriers.length]).toEqual([2, 1]);
    const links = await call<{
      items: { playbookId: number; title: string; version: number; stepId: number | null }[];
    }>(omar.api, `/api/goals/${res.body.goal.id}/playbooks`);
    expect(links.body.items).toEqual([
      {
        playbookId: playbook.id,
        goalId: res.body.goal.id,
        stepId: null,
        title: "Onboarding",
        version: 2,
        teamId,
      },
    ]);

    const refused = await call(
      owner,
      `/api/playbooks/${playbook.id}/plans`,
      send("POST", { dueDate: "2026-02-31" }),
    );
    expect(refused.status).toBe(400);
    expect((await call(owner, "/api/playbooks/999999/plans", send("POST", {}))).status).toBe(404);
  });

  it.skipIf(skip)("links a playbook to a goal or step once, lists and unlinks it", async () => {
    const goal = await call<{ id: number }>(owner, "/api/goals", send("POST", buildGoal()));
    const step = await call<{ id: number }>(
      owner,
      `/api/goals/${goal.body.id}/steps`,
      send("POST", { text: "Call Raj about the renewal" }),
    );
    const path = `/api/goals/${goal.body.id}/playbooks`;
    const linked = await call(owner, path, send("POST", { playbookId: playbook.id, stepId: step.body.id }));
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({
      playbookId: playbook.id,
      goalId: goal.body.id,
      stepId: step.body.id,
    });
    const again = await call<{ error: { code: string } }>(
      owner,
      path,
      send("POST", { playbookId: playbook.id, stepId: step.body.id }),
    );
    expect([again.status, again.body.error.code]).toEqual([409, "playbook_already_linked"]);
    expect((await call(owner, path, send("POST", { playbookId: playbook.id }))).status).toBe(201);
    expect((await call(owner, path, send("POST", { playbookId: 999999 }))).status).toBe(422);
    expect((await call(owner, path, send("POST", { playbookId: "one" }))).status).toBe(400);
    // Omar may not change the owner's goal (and may not see it: it is private).
    expect((await call(omar.api, path, send("POST", { playbookId: playbook.id }))).status).toBe(404);
    expect((await call(omar.api, path)).status).toBe(404);

    const listed = await call<{ items: { playbookId: number; stepId: number | null; title: string }[] }>(
      owner,
      path,
    );
    expect(listed.body.items.map((l) => [l.playbookId, l.stepId, l.title])).toEqual([
      [playbook.id, null, "Onboarding"],
      [playbook.id, step.body.id, "Onboarding"],
    ]);

    expect((await call(omar.api, `${path}/${playbook.id}`, { method: "DELETE" })).status).toBe(404);
    const gone = await call(owner, `${path}/${playbook.id}`, { method: "DELETE" });
    expect([gone.status, gone.body]).toEqual([200, { unlinked: true }]);
    expect((await call<{ items: unknown[] }>(owner, path)).body.items).toEqual([]);
    expect((await call(owner, `${path}/${playbook.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it.skipIf(skip)("previews unsaved Markdown for anyone signed in, rendered as a save would be", async () => {
    const preview = await call<{ html: string }>(
      omar.api,
      "/api/playbooks/preview",
      send("POST", { body: TEMPLATE }),
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ html: playbook.html });
    const saved = await call<{ items: { version: number; html: string }[] }>(
      omar.api,
      `/api/playbooks/${playbook.id}/versions`,
    );
    expect(saved.body.items[0]?.html).toBe(playbook.html);

    const tooLong = await call<{ error: { code: string } }>(
      omar.api,
      "/api/playbooks/preview",
      send("POST", { body: "x".repeat(200_001) }),
    );
    expect(tooLong.status).toBe(400);
    const extra = await call(omar.api, "/api/playbooks/preview", send("POST", { body: "x", title: "y" }));
    expect(extra.status).toBe(400);
    const anonymous = testApp(fixedContext(db.store));
    expect((await call(anonymous, "/api/playbooks/preview", send("POST", { body: "x" }))).status).toBe(401);
  });

  it.skipIf(skip)("documents the new routes in the OpenAPI document", async () => {
    const doc = await call<{ paths: Record<string, Record<string, unknown>> }>(owner, "/api/openapi.json");
    expect(Object.keys(doc.body.paths["/api/playbooks/{id}/diff"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.body.paths["/api/playbooks/{id}/plans"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.body.paths["/api/playbooks/preview"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.body.paths["/api/goals/{id}/playbooks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.body.paths["/api/goals/{id}/playbooks/{playbookId}"] ?? {})).toEqual(["delete"]);
  });
});
