import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import type { KeyResult } from "../../core/types.js";
import * as people from "../../store/repos/people.js";
import type { Actor, AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { localActor } from "../people/people.js";
import { DEFAULT_LIMITS } from "../people/ratelimit.js";
import * as goals from "../plans/goals.js";
import { createPlan } from "../plans/plan.js";
import * as steps from "../plans/steps.js";
import { planTemplate, renderMarkdown } from "./markdown.js";
import * as playbooks from "./playbooks.js";

/** The AppError a promise rejects with (or fails the test). */
async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "[x](javascript:alert(1))",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  "[x](&#106;avascript:alert(1))",
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
  '<svg onload="alert(1)"><script>alert(1)</script></svg>',
  '<p onmouseover="alert(1)">hover</p>',
  "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
  '<form action="javascript:alert(1)"><input type="submit"><button>go</button></form>',
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  '<img src="javascript:alert(1)">',
  '![x](javascript:alert(1) "t")',
  "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
  "<base href=javascript:alert(1)//>",
  '<a href="https://ok.example" onclick="alert(1)" style="color:red" target="_blank">ok</a>',
  "<details open ontoggle=alert(1)>",
  '<input type="text" onfocus="alert(1)" autofocus>',
  // Last: an unclosed <style> swallows what follows it.
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
].join("\n\n");

describe("renderMarkdown", () => {
  it("renders every GFM task list as disabled checkboxes, never a literal [ ]", () => {
    const html = renderMarkdown(
      [
        "- [ ] Tight item",
        "- [x] Done item",
        "",
        "1. [ ] Numbered",
        "2) [X] Numbered done",
        "",
        "* [ ] Loose item",
        "",
        "* [ ] Second loose item",
        "  - [ ] Nested",
        "",
        "> - [ ] Quoted",
        "",
        "- [ ]\tAfter a tab",
      ].join("\n"),
    );
    expect(html).not.toMatch(/\[[ xX]\]/);
    expect(html.match(/<input type="checkbox" disabled \/>/g)).toHaveLength(7);
    expect(html.match(/<input type="checkbox" disabled checked \/>/g)).toHaveLength(2);
    // A hostile "checkbox" written as HTML keeps no handler and is never enabled.
    const hostile = renderMarkdown(
      '<input type="checkbox" onclick="alert(1)"> <input type="text" value="x">',
    );
    expect(hostile.trim()).toBe('<p><input type="checkbox" disabled /> </p>');
  });

  it("renders Markdown: headings, emphasis, lists, code, quotes, tables and task lists", () => {
    const html = renderMarkdown(
      [
        "# Onboarding",
        "",
        "Some **bold** and *soft* text with `code`.",
        "",
        "- one",
        "- two",
        "",
        "1. first",
        "",
        "> quoted",
        "",
        "```js",
        "const x = 1 < 2;",
        "```",
        "",
        "| a | b |",
        "|:-:|---|",
        "| 1 | 2 |",
        "",
        "- [ ] open task",
        "- [x] done task",
        "",
        "---",
        "",
        "[docs](https://example.com/docs) and [mail](mailto:a@example.com) and [here](#steps)",
      ].join("\n"),
    );
    expect(html).toContain("<h1>Onboarding</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>soft</em>");
    expect(html).toContain("<ul>");
    expect(html).toContain("<ol>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain('<code class="language-js">const x = 1 &lt; 2;');
    expect(html).toContain('<th align="center">a</th>');
    expect(html).toContain('<input type="checkbox" disabled /> open task');
    expect(html).toContain('<input type="checkbox" disabled checked /> done task');
    expect(html).toContain("<hr />");
    expect(html).toContain('<a href="https://example.com/docs" rel="noopener noreferrer">docs</a>');
    expect(html).toContain('<a href="mailto:a@example.com" rel="noopener noreferrer">mail</a>');
    expect(html).toContain('<a href="#steps" rel="noopener noreferrer">here</a>');
  });

  it("lets no script, handler, frame, style or dangerous link survive", () => {
    const html = renderMarkdown(HOSTILE);
    const lower = html.toLowerCase();
    for (const bad of [
      "<script",
      "<img",
      "<iframe",
      "<svg",
      "<object",
      "<embed",
      "<form",
      "<button",
      "<style",
      "<meta",
      "<base",
      "<details",
      "<div",
      "javascript:",
      "vbscript:",
      "data:",
      "style=",
      "target=",
    ]) {
      expect(lower, bad).not.toContain(bad);
    }
    expect(lower).not.toMatch(/\son[a-z]+\s*=/);
    expect(lower).not.toMatch(/<input(?![^>]*type="checkbox")/);
    // Text survives as text: the safe link keeps its words and gains rel.
    expect(html).toContain('<a href="https://ok.example" rel="noopener noreferrer">ok</a>');
    expect(html).toContain("hover");
  });

  it("keeps HTML entities escaped rather than turning them into markup", () => {
    const html = renderMarkdown("&lt;script&gt;alert(1)&lt;/script&gt; &amp; `<b>code</b>`");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("<code>&lt;b&gt;code&lt;/b&gt;</code>");
  });

  it("drops a raw HTML block's tags, never its danger", () => {
    const html = renderMarkdown(
      '<div>\n<script>steal()</script>\n<p onclick="x()">Hello</p>\n</div>\n\nAfter',
    );
    expect(html).not.toContain("steal");
    expect(html).not.toContain("onclick");
    expect(html).toContain("Hello");
    expect(html).toContain("<p>After</p>");
  });

  it("renders task items, at any depth, as disabled checkboxes that keep their state", () => {
    const html = renderMarkdown(
      ["- [ ] Read the numbers", "- [x] Write the summary", "  - [X] Send it", "", "1. [ ] Numbered"].join(
        "\n",
      ),
    );
    expect(html).toBe(
      [
        "<ul>",
        '<li><input type="checkbox" disabled /> Read the numbers</li>',
        '<li><input type="checkbox" disabled checked /> Write the summary<ul>',
        '<li><input type="checkbox" disabled checked /> Send it</li>',
        "</ul>",
        "</li>",
        "</ul>",
        "<ol>",
        '<li><input type="checkbox" disabled /> Numbered</li>',
        "</ol>",
        "",
      ].join("\n"),
    );
  });

  it("keeps of a raw input only a disabled checkbox: no other type, name, value or handler", () => {
    const html = renderMarkdown(
      [
        '<input type="checkbox" checked name="n" value="v" onclick="alert(1)" autofocus>',
        '<input type="text" value="x"> <input type="hidden" name="h"> <input type="submit">',
        "<input>",
      ].join(" "),
    );
    expect(html.match(/<input[^>]*>/g)).toEqual(['<input type="checkbox" disabled checked />']);
  });

  it("renders a table with its header, alignment and inline marks", () => {
    const html = renderMarkdown(
      [
        "| Day | What | Minutes |",
        "|:----|:----:|--------:|",
        "| Mon | **Plan** the week | 30 |",
        "| Fri | `review` \\| send | 15 |",
      ].join("\n"),
    );
    expect(html).toBe(
      [
        "<table>",
        "<thead>",
        "<tr>",
        '<th align="left">Day</th>',
        '<th align="center">What</th>',
        '<th align="right">Minutes</th>',
        "</tr>",
        "</thead>",
        "<tbody><tr>",
        '<td align="left">Mon</td>',
        '<td align="center"><strong>Plan</strong> the week</td>',
        '<td align="right">30</td>',
        "</tr>",
        "<tr>",
        '<td align="left">Fri</td>',
        '<td align="center"><code>review</code> | send</td>',
        '<td align="right">15</td>',
        "</tr>",
        "</tbody></table>",
        "",
      ].join("\n"),
    );
  });

  it("strips a script and a handler from a paragraph and keeps the words around them", () => {
    const html = renderMarkdown(
      'Schedule it. <script>alert("x")</script> Then <img src=x onerror="alert(2)"> <b onmouseover="alert(3)">send</b> it.',
    );
    expect(html).toBe("<p>Schedule it.  Then  send it.</p>\n");
  });
});

describe("planTemplate", () => {
  it("reads task items as steps and if-then lines under Plan B as barriers", () => {
    const t = planTemplate(
      [
        "# Launch a newsletter",
        "",
        "Intro paragraph. If this is prose, then it is not a barrier.",
        "",
        "- [ ] Draft the **welcome** email",
        "- [x] Pick a [platform](https://example.com)",
        "  - [ ] Ask Tom &amp; Jerry for a logo",
        "- not a task",
        "",
        "```",
        "- [ ] inside a code block",
        "```",
        "",
        "## Steps",
        "1. Email Raj the deck",
        "2. Book the podcast slot",
        "",
        "### Week 2",
        "- Call Dana",
        "",
        "## Plan B",
        "- If approval slips past Friday, then I ask Dana to sign as deputy",
        "- [ ] If the platform is down then I send from my own mail",
        "If it rains, then I run indoors",
        "- Just a note",
        "",
        "## Notes",
        "- not a step",
        "If ignored, then nothing",
      ].join("\n"),
    );
    expect(t.steps).toEqual([
      "Draft the welcome email",
      "Pick a platform",
      "Ask Tom & Jerry for a logo",
      "Email Raj the deck",
      "Book the podcast slot",
      "Call Dana",
    ]);
    expect(t.barriers).toEqual([
      {
        obstacle: "Approval slips past Friday",
        planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
      },
      {
        obstacle: "The platform is down",
        planB: "If the platform is down then I send from my own mail",
      },
      { obstacle: "It rains", planB: "If it rains, then I run indoors" },
    ]);
  });

  it("finds nothing in a playbook without task items or sections", () => {
    expect(planTemplate("# Just prose\n\nNothing to do here.")).toEqual({
      steps: [],
      barriers: [],
      keyResults: [],
      stepKeyResults: [],
      notes: [],
      why: null,
    });
  });

  it("reads key results under their heading and the key result each step names", () => {
    const t = planTemplate(
      [
        "## Key results",
        "- Subscribers: from 0 to 1,000 subscribers",
        "- Open rate: 20% → 45%",
        "- Churn: from 8 to 3",
        "- Grow the list (not written as a key result)",
        "- [ ] Ask Raj for the list (KR 1)",
        "",
        "## Steps",
        "- Draft the welcome email (KR: Open rate)",
        "- Send the first issue (kr 2)",
        "- Write the FAQ (see the wiki)",
        "- Tidy up",
      ].join("\n"),
    );
    expect(t.keyResults).toEqual([
      { title: "Subscribers", startValue: 0, targetValue: 1000, unit: "subscribers" },
      { title: "Open rate", startValue: 20, targetValue: 45, unit: "%" },
      { title: "Churn", startValue: 8, targetValue: 3, unit: null },
    ]);
    expect(t.steps).toEqual([
      "Ask Raj for the list",
      "Draft the welcome email",
      "Send the first issue",
      "Write the FAQ (see the wiki)",
      "Tidy up",
    ]);
    expect(t.stepKeyResults).toEqual([1, 2, 2, null, null]);
    expect(t.notes).toEqual([]);
  });

  it("keeps a (KR …) ending as text, and says so, unless it names one of the playbook's key results", () => {
    const t = planTemplate(
      [
        "## Steps",
        "- Read the FAQ (KR 1)",
        "- Book a call (KR: Revenue)",
        "- Compare the quarters (KR 9)",
        "- Ask about the policy \\(KR: Calls)",
        "- Ring the first five (KR: calls)",
        "",
        "## Key results",
        "- Calls: from 0 to 20 calls",
      ].join("\n"),
    );
    expect(t.steps).toEqual([
      "Read the FAQ",
      "Book a call (KR: Revenue)",
      "Compare the quarters (KR 9)",
      "Ask about the policy (KR: Calls)",
      "Ring the first five",
    ]);
    expect(t.stepKeyResults).toEqual([1, null, null, null, 1]);
    expect(t.notes.map((n) => n.step)).toEqual([2, 3]);
    expect(t.notes[0]?.message).toContain('keeps "(KR: Revenue)" as part of its text');
    expect(t.notes[0]?.message).toContain('no key result is called "Revenue" (they are "Calls")');
    expect(t.notes[0]?.message).toContain("write \\(KR: Revenue)");
    expect(t.notes[1]?.message).toContain("there is no key result 9 (the playbook has 1: 1 to 1)");

    const none = planTemplate("- [ ] Review the Q3 numbers (KR 2)\n- [ ] Send it \\(KR 1)\n");
    expect(none.steps).toEqual(["Review the Q3 numbers (KR 2)", "Send it (KR 1)"]);
    expect(none.stepKeyResults).toEqual([null, null]);
    expect(none.notes.map((n) => [n.step, n.message.includes('no "Key results" section')])).toEqual([
      [1, true],
    ]);
  });
});

describe.each(DIALECTS)("playbooks on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let owner: Actor;
  let dana: Actor;
  let teamId: number;

  async function count(table: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
      db.store.db.withoutPlugins(),
    );
    return Number(r.rows[0]?.n);
  }

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ctx = fixedContext(db.store);
    owner = await localActor(ctx);
    const danaUser = await people.createPerson(
      db.store.db,
      owner.workspaceId,
      "Dana",
      ctx.now().toISOString(),
    );
    dana = { userId: danaUser.id, workspaceId: owner.workspaceId };
    teamId = (await people.teamIdsOf(db.store.db, owner.userId))[0] as number;
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("answers every playbook with its body rendered to sanitized HTML", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, {
      title: "Hostile",
      body: "# Title\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
    });
    expect(p.html).toContain("<h1>Title</h1>");
    expect(p.html).not.toMatch(/script|onerror|javascript:|<img/i);
    expect((await playbooks.getPlaybookOrThrow(ctx, owner, p.id)).html).toBe(p.html);
    const edited = await playbooks.updatePlaybook(ctx, owner, p.id, { body: "<iframe></iframe>\n\n**ok**" });
    expect(edited.html).toBe("<p><strong>ok</strong></p>\n");
  });

  it.skipIf(skip)("renders every version in the history like the current one", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, { title: "Checklist", body: "- [ ] one" });
    await playbooks.updatePlaybook(ctx, owner, p.id, { body: "- [x] one\n\n<script>alert(1)</script>" });
    const versions = await playbooks.playbookHistory(ctx, owner, p.id);
    expect(versions.map((v) => v.html)).toEqual([
      renderMarkdown("- [ ] one"),
      (await playbooks.getPlaybookOrThrow(ctx, owner, p.id)).html,
    ]);
    expect(versions[1]?.html).toContain('<input type="checkbox" disabled checked /> one');
    expect(versions[1]?.html).not.toContain("script");
  });

  it.skipIf(skip)(
    "previews unsaved Markdown as a saved playbook renders, a limited number of times",
    async () => {
      const body = "# Plan\n\n- [x] Draft\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<img src=x onerror=alert(1)>";
      const saved = await playbooks.createPlaybook(ctx, owner, { title: "Preview", body });
      const lim = { ...DEFAULT_LIMITS, previewsPerUser: { max: 2, windowSeconds: 60 } };
      expect(await playbooks.previewPlaybook(ctx, dana, { body }, lim)).toEqual({ html: saved.html });
      expect((await errorOf(playbooks.previewPlaybook(ctx, dana, { body: 5 }, lim))).status).toBe(400);
      expect(
        (await errorOf(playbooks.previewPlaybook(ctx, dana, { body: "x".repeat(200_001) }, lim))).status,
      ).toBe(400);
      expect((await playbooks.previewPlaybook(ctx, dana, { body: "" }, lim)).html).toBe("");
      const refused = await errorOf(playbooks.previewPlaybook(ctx, dana, { body }, lim));
      expect([refused.status, refused.code]).toEqual([429, "rate_limited"]);
      // The limit is each person's own.
      expect((await playbooks.previewPlaybook(ctx, owner, { body: "*ok*" }, lim)).html).toBe(
        "<p><em>ok</em></p>\n",
      );
    },
  );

  it.skipIf(skip)("records who saved each version, and diffs two versions", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, {
      title: "Weekly review",
      body: "# Weekly review\n\n- [ ] Read the numbers\n- [ ] Write the summary\n",
    });
    await playbooks.updatePlaybook(ctx, dana, p.id, {
      body: "# Weekly review\n\n- [ ] Read the numbers\n- [ ] Write a three-line summary\n- [ ] Send it\n",
      note: "Shorter summary, and send it",
    });
    const versions = await playbooks.playbookHistory(ctx, owner, p.id);
    expect(versions.map((v) => [v.version, v.authorId, v.authorName, v.note])).toEqual([
      [1, owner.userId, "me", null],
      [2, dana.userId, "Dana", "Shorter summary, and send it"],
    ]);
    const diff = await playbooks.playbookDiff(ctx, owner, p.id, { from: 1, to: 2 });
    expect(diff).toMatchObject({
      from: 1,
      to: 2,
      authorId: dana.userId,
      authorName: "Dana",
      added: 2,
      removed: 1,
    });
    expect(diff.patch).toContain("--- v1");
    expect(diff.patch).toContain("+++ v2");
    expect(diff.patch).toContain("-- [ ] Write the summary");
    expect(diff.patch).toContain("+- [ ] Write a three-line summary");
    expect(diff.patch).toContain("+- [ ] Send it");
    const back = await playbooks.playbookDiff(ctx, owner, p.id, { from: "2", to: "1" });
    expect([back.added, back.removed, back.authorId]).toEqual([1, 2, owner.userId]);
    expect((await playbooks.playbookDiff(ctx, owner, p.id, { from: 2, to: 2 })).patch).toBe("");

    expect((await errorOf(playbooks.playbookDiff(ctx, owner, p.id, { from: 1, to: 3 }))).status).toBe(404);
    for (const bad of [{ from: 0, to: 1 }, { from: "x", to: 1 }, { from: 1.5, to: 2 }, { from: 1 }]) {
      expect((await errorOf(playbooks.playbookDiff(ctx, owner, p.id, bad))).status).toBe(400);
    }
    expect((await errorOf(playbooks.playbookDiff(ctx, owner, 999_999, { from: 1, to: 2 }))).status).toBe(404);
  });

  it.skipIf(skip)("lets only the team and the workspace owner edit a team's playbook", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, { title: "Team runbook", body: "v1", teamId });
    expect(p.teamId).toBe(teamId);
    // Dana is in the workspace but not the team: she may read, not edit.
    expect((await playbooks.getPlaybookOrThrow(ctx, dana, p.id)).title).toBe("Team runbook");
    const refused = await errorOf(playbooks.updatePlaybook(ctx, dana, p.id, { body: "v2 by Dana" }));
    expect([refused.status, refused.code]).toEqual([403, "playbook_read_only"]);
    const notMine = await errorOf(playbooks.createPlaybook(ctx, dana, { title: "Mine", body: "x", teamId }));
    expect(notMine.status).toBe(403);
    expect((await playbooks.playbookHistory(ctx, owner, p.id)).length).toBe(1);

    await db.store.db
      .insertInto("memberships")
      .values({ teamId, userId: dana.userId, role: "member", createdAt: ctx.now().toISOString() })
      .execute();
    expect((await playbooks.updatePlaybook(ctx, dana, p.id, { body: "v2 by Dana" })).version).toBe(2);
    expect((await playbooks.updatePlaybook(ctx, owner, p.id, { body: "v3" })).version).toBe(3);
    await db.store.db.deleteFrom("memberships").where("userId", "=", dana.userId).execute();
  });

  it.skipIf(skip)("hides another workspace's playbooks as not found", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, { title: "Private to us", body: "x" });
    const stranger: Actor = { userId: owner.userId, workspaceId: owner.workspaceId + 1000 };
    for (const call of [
      () => playbooks.getPlaybookOrThrow(ctx, stranger, p.id),
      () => playbooks.playbookHistory(ctx, stranger, p.id),
      () => playbooks.playbookDiff(ctx, stranger, p.id, { from: 1, to: 1 }),
      () => playbooks.updatePlaybook(ctx, stranger, p.id, { body: "y" }),
      () => playbooks.startPlanFromPlaybook(ctx, stranger, p.id, {}),
    ]) {
      const e = await errorOf(call());
      expect([e.status, e.code]).toEqual([404, "playbook_not_found"]);
    }
  });

  it.skipIf(skip)("links a playbook to a goal and a step once each, lists and unlinks it", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, { title: "Sales call", body: "x" });
    const goal = await goals.createGoal(ctx, owner, buildGoal());
    const step = await steps.addStep(ctx, owner, goal.id, { text: "Call Raj about the renewal" });
    const other = await goals.createGoal(ctx, owner, buildGoal({ title: "Another goal" }));
    const otherStep = await steps.addStep(ctx, owner, other.id, { text: "Email Ana the quote" });

    const link = await playbooks.linkPlaybook(ctx, owner, goal.id, { playbookId: p.id });
    expect(link).toMatchObject({
      playbookId: p.id,
      goalId: goal.id,
      stepId: null,
      title: "Sales call",
      version: 1,
    });
    await playbooks.linkPlaybook(ctx, owner, goal.id, { playbookId: p.id, stepId: step.id });
    const dup = await errorOf(playbooks.linkPlaybook(ctx, owner, goal.id, { playbookId: p.id }));
    expect([dup.status, dup.code]).toEqual([409, "playbook_already_linked"]);
    const dupStep = await errorOf(
      playbooks.linkPlaybook(ctx, owner, goal.id, { playbookId: p.id, stepId: step.id }),
    );
    expect(dupStep.status).toBe(409);
    const wrongStep = await errorOf(
      playbooks.linkPlaybook(ctx, owner, goal.id, { playbookId: p.id, stepId: otherStep.id }),
    );
    expect(wrongStep.code).toBe("step_not_in_goal");
    expect((await errorOf(playbooks.linkPlaybook(ctx, owner, goal.id, { playbookId: 999_999 }))).code).toBe(
      "playbook_not_found",
    );
    // Dana cannot change the owner's goal, so she cannot link to it either.
    expect((await errorOf(playbooks.linkPlaybook(ctx, dana, goal.id, { playbookId: p.id }))).status).toBe(
      404,
    );

    const listed = await playbooks.goalPlaybooks(ctx, owner, goal.id);
    expect(listed.map((l) => [l.playbookId, l.stepId, l.title])).toEqual([
      [p.id, null, "Sales call"],
      [p.id, step.id, "Sales call"],
    ]);
    await playbooks.unlinkPlaybook(ctx, owner, goal.id, p.id);
    expect(await playbooks.goalPlaybooks(ctx, owner, goal.id)).toEqual([]);
    expect((await errorOf(playbooks.unlinkPlaybook(ctx, owner, goal.id, p.id))).status).toBe(404);
  });

  it.skipIf(skip)("starts a plan from a template with its steps, barriers and a link back", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, {
      title: "Launch a newsletter",
      body: [
        "# Launch a newsletter",
        "",
        "- [ ] Draft the welcome email",
        "- [ ] Email Raj the sponsorship deck",
        "",
        "## Plan B",
        "- If approval slips past Friday, then I ask Dana to sign as deputy",
      ].join("\n"),
    });
    const plan = await playbooks.startPlanFromPlaybook(ctx, owner, p.id, { dueDate: "2027-01-31" });
    expect(plan.goal).toMatchObject({
      title: "Launch a newsletter",
      ownerId: owner.userId,
      dueDate: "2027-01-31",
      visibility: "private",
      status: "active",
    });
    expect(plan.steps.map((s) => [s.text, s.position, s.status])).toEqual([
      ["Draft the welcome email", 1, "todo"],
      ["Email Raj the sponsorship deck", 2, "todo"],
    ]);
    expect(plan.barriers.map((b) => [b.obstacle, b.planB, b.status])).toEqual([
      [
        "Approval slips past Friday",
        "If approval slips past Friday, then I ask Dana to sign as deputy",
        "anticipated",
      ],
    ]);
    expect(plan.warnings.length).toBeGreaterThan(0);
    expect(plan.warnings.map((w) => w.code)).not.toContain("no_plan_b");
    expect((await playbooks.goalPlaybooks(ctx, owner, plan.goal.id)).map((l) => l.playbookId)).toEqual([
      p.id,
    ]);
    const events = await db.store.db
      .selectFrom("events")
      .select("type")
      .where("createdAt", "=", ctx.now().toISOString())
      .where("type", "in", ["goal.created", "step.created", "barrier.created", "playbook.linked"])
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(5);

    const titled = await playbooks.startPlanFromPlaybook(ctx, owner, p.id, {
      title: "Q1 newsletter",
      visibility: "team",
    });
    expect([titled.goal.title, titled.goal.visibility]).toEqual(["Q1 newsletter", "team"]);
  });

  it.skipIf(skip)("leaves nothing half-made when a template or the input is refused", async () => {
    const long = await playbooks.createPlaybook(ctx, owner, {
      title: "Too long",
      body: `- [ ] Fine step\n- [ ] ${"Write ".repeat(120)}\n`,
    });
    const before = await Promise.all(["goals", "steps", "barriers", "playbook_links", "events"].map(count));
    const e = await errorOf(playbooks.startPlanFromPlaybook(ctx, owner, long.id, {}));
    expect([e.status, e.code]).toEqual([422, "template_text_too_long"]);
    const past = await errorOf(
      playbooks.startPlanFromPlaybook(ctx, owner, long.id, { dueDate: "2020-01-01" }),
    );
    expect(past.code).toBe("due_before_start");
    const bad = await errorOf(
      playbooks.startPlanFromPlaybook(ctx, owner, long.id, { visibility: "everyone" }),
    );
    expect(bad.status).toBe(400);
    expect(await Promise.all(["goals", "steps", "barriers", "playbook_links", "events"].map(count))).toEqual(
      before,
    );
  });

  it.skipIf(skip)("starts a plan whose steps keep the key result the playbook names", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, {
      title: "Grow the newsletter",
      body: [
        "## Key results",
        "- Subscribers: from 0 to 500 subscribers",
        "- Open rate: 20% → 45%",
        "",
        "## Steps",
        "- Ask Raj for the partner list (KR 1)",
        "- Rewrite the subject lines (KR: open rate)",
        "- Book the launch call",
      ].join("\n"),
    });
    const plan = await playbooks.startPlanFromPlaybook(ctx, owner, p.id, { dueDate: "2027-03-31" });
    expect(plan.keyResults.map((k) => [k.title, k.startValue, k.targetValue, k.unit, k.direction])).toEqual([
      ["Subscribers", 0, 500, "subscribers", "increase"],
      ["Open rate", 20, 45, "%", "increase"],
    ]);
    const krTitle = new Map(plan.keyResults.map((k) => [k.id, k.title]));
    expect(
      plan.steps.map((s) => [s.text, s.keyResultId == null ? null : krTitle.get(s.keyResultId)]),
    ).toEqual([
      ["Ask Raj for the partner list", "Subscribers"],
      ["Rewrite the subject lines", "Open rate"],
      ["Book the launch call", null],
    ]);
    expect(plan.warnings.map((w) => w.code)).not.toContain("no_key_results");
  });

  it.skipIf(skip)(
    "keeps a step's (KR …) ending that names no key result of the playbook as text, and warns",
    async () => {
      const byPosition = await playbooks.createPlaybook(ctx, owner, {
        title: "Missing KR",
        body: "## Key results\n- Calls: from 0 to 20 calls\n\n## Steps\n- Call Dana (KR 1)\n- Call Raj (KR 3)\n",
      });
      expect(byPosition.template.notes.map((n) => n.step)).toEqual([2]);
      expect(byPosition.template.steps).toEqual([
        { text: "Call Dana", keyResult: 1 },
        { text: "Call Raj (KR 3)", keyResult: null },
      ]);
      const plan = await playbooks.startPlanFromPlaybook(ctx, owner, byPosition.id, {});
      const calls = plan.keyResults[0] as KeyResult;
      expect(plan.steps.map((s) => [s.text, s.keyResultId ?? null])).toEqual([
        ["Call Dana", calls.id],
        ["Call Raj (KR 3)", null],
      ]);
      const kept = plan.warnings.filter((w) => w.code === "playbook-kr-kept-as-text");
      expect(kept.map((w) => w.message)).toEqual([expect.stringContaining('Step 2 ("Call Raj (KR 3)")')]);

      const noSection = await playbooks.createPlaybook(ctx, owner, {
        title: "Quarterly review",
        body: "- [ ] Review the Q3 numbers (KR: Revenue)\n- [ ] Send the summary \\(KR 1)\n",
      });
      const review = await playbooks.startPlanFromPlaybook(ctx, owner, noSection.id, {});
      expect(review.keyResults).toEqual([]);
      expect(review.steps.map((s) => [s.text, s.keyResultId ?? null])).toEqual([
        ["Review the Q3 numbers (KR: Revenue)", null],
        ["Send the summary (KR 1)", null],
      ]);
      expect(review.warnings.filter((w) => w.code === "playbook-kr-kept-as-text")).toHaveLength(1);
    },
  );

  it.skipIf(skip)("carries a playbook's Why: line into the goal, escapes and all", async () => {
    const p = await playbooks.createPlaybook(ctx, owner, {
      title: "Onboarding",
      body: "# Onboarding\n\nWhy: new people *ship* in week one \\& stay\n\n## Steps\n\n- Pair on a bug\n\nWhy: not this one\n",
    });
    const plan = await playbooks.startPlanFromPlaybook(ctx, owner, p.id, {});
    expect(plan.goal.why).toBe("new people ship in week one & stay");
    expect(plan.steps.map((s) => s.text)).toEqual(["Pair on a bug"]);
    const none = await playbooks.createPlaybook(ctx, owner, { title: "No why", body: "- [ ] Do it\n" });
    expect((await playbooks.startPlanFromPlaybook(ctx, owner, none.id, {})).goal.why ?? null).toBeNull();
  });

  it.skipIf(skip)(
    "saves a step whose own words end in (KR …) so it comes back as the same text",
    async () => {
      const original = await createPlan(ctx, owner, {
        goal: { title: "Quarterly numbers", dueDate: "2027-06-30" },
        keyResults: [
          { title: "Reports sent", startValue: 0, targetValue: 4 },
          { title: "Errors", startValue: 10, targetValue: 0 },
        ],
        steps: [
          { text: "Read the finance note (KR 2)" },
          { text: "Check the sheet (KR: Errors)", keyResult: 1 },
        ],
      });
      const saved = await playbooks.savePlanAsPlaybook(ctx, owner, original.goal.id, {});
      expect(saved.body).toContain("- [ ] Read the finance note \\(KR 2)\n");
      expect(saved.body).toContain("- [ ] Check the sheet \\(KR: Errors) (KR 1)\n");
      expect(saved.html).toContain("Read the finance note (KR 2)");
      expect(saved.template.notes).toEqual([]);
      const again = await playbooks.startPlanFromPlaybook(ctx, owner, saved.id, {});
      const reports = again.keyResults[0] as KeyResult;
      expect(again.steps.map((s) => [s.text, s.keyResultId ?? null])).toEqual([
        ["Read the finance note (KR 2)", null],
        ["Check the sheet (KR: Errors)", reports.id],
      ]);
    },
  );

  it.skipIf(skip)(
    "saves a plan as a playbook and starts a new plan from it with every step's key result",
    async () => {
      const original = await createPlan(ctx, owner, {
        goal: { title: "Grow the *newsletter*", why: "Readers fund the work", dueDate: "2027-06-30" },
        keyResults: [
          { title: "Subscribers: paid", startValue: 0, targetValue: 1500, unit: "subscribers" },
          { title: "Open rate", startValue: 20, targetValue: 45.5, unit: "%" },
          { title: "Churn", startValue: 8, targetValue: 3 },
        ],
        steps: [
          { text: "Ask Raj for the partner list", keyResult: 1 },
          { text: "1. Rewrite the subject_lines <b>now</b> & test", keyResult: "Open rate" },
          { text: "Book the launch call" },
          { text: "Survey people who left", keyResult: 3 },
        ],
        barriers: [{ obstacle: "Raj is away", planB: "ask Dana for the list instead", likelihood: "low" }],
      });
      const saved = await playbooks.savePlanAsPlaybook(ctx, owner, original.goal.id, {});
      expect(saved.title).toBe("Grow the *newsletter*");
      expect(saved.body).toContain("(KR 1)");
      expect(saved.html).toContain("Subscribers: paid: from 0 to 1500 subscribers");

      const again = await playbooks.startPlanFromPlaybook(ctx, owner, saved.id, { dueDate: "2027-09-30" });
      const shape = (plan: {
        keyResults: KeyResult[];
        steps: { text: string; keyResultId?: number | null }[];
      }) => {
        const title = new Map(plan.keyResults.map((k) => [k.id, k.title]));
        return {
          keyResults: plan.keyResults.map((k) => [k.title, k.startValue, k.targetValue, k.unit]),
          steps: plan.steps.map((s) => [s.text, s.keyResultId == null ? null : title.get(s.keyResultId)]),
        };
      };
      expect(shape(again)).toEqual(shape(original));
      expect(again.barriers.map((b) => b.obstacle)).toEqual(["Raj is away"]);
      // The goal's why travels through the playbook's "Why:" line.
      expect(saved.body).toContain("Why: Readers fund the work\n");
      expect(again.goal.why).toBe("Readers fund the work");

      // A markdown export and import is the body itself: a copy saved by hand keeps the links too.
      const copy = await playbooks.createPlaybook(ctx, owner, { title: "Copy", body: saved.body });
      expect(shape(await playbooks.startPlanFromPlaybook(ctx, owner, copy.id, {}))).toEqual(shape(original));

      const hidden = await createPlan(ctx, dana, { goal: { title: "Dana's private goal" } });
      expect((await errorOf(playbooks.savePlanAsPlaybook(ctx, owner, hidden.goal.id, {}))).status).toBe(404);
    },
  );
});
