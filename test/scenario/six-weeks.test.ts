/**
 * Six weeks of living with a plan, dated: a server whose clock the test moves day by day, the API
 * and the command line (logged in to that server) used side by side, as a person would. It checks
 * what people read in `week`, `status` and `report` as plans change: the rate, the moves, the days
 * of a repeating step, and micro-goal mode. Counting rules: docs/engine.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appContext } from "../../src/app/context.js";
import { cliAsync } from "../helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../helpers/dialects.js";
import { type Client, type Person, serveApp, signUp } from "../helpers/http.js";

// biome-ignore lint/suspicious/noExplicitAny: API JSON read loosely; each check states what it expects
type J = Record<string, any>;
const PASSWORD = "correct horse battery staple";

describe.each(DIALECTS)("six weeks with a plan, on %s", (d) => {
  const skip = !dialectAvailable(d);
  const dir = mkdtempSync(join(tmpdir(), "throughline-six-weeks-"));
  const env = {
    THROUGHLINE_CONFIG: join(dir, "config.json"),
    THROUGHLINE_DB: join(dir, "local.db"),
    TZ: "UTC",
  };
  let db: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let me: Person;
  let clock = "2026-11-02T08:00:00.000Z";
  let today = "2026-11-02";
  const on = (day: string) => {
    clock = `${day}T12:00:00.000Z`;
    today = day;
  };

  const api = async (method: string, path: string, body?: unknown): Promise<J> => {
    const r = await me.api.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await r.json()) as J;
    if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const cli = async (...args: string[]): Promise<J> => {
    const r = await cliAsync([...args, "--json"], {}, { env });
    if (r.code !== 0) throw new Error(`throughline ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as J;
  };
  /**
   * The same read, for the server's day, through the API and the command line: they must agree.
   * (The command line would otherwise ask for its own machine's day.)
   */
  const both = async (path: string, ...args: string[]): Promise<J> => {
    const query = `${path.includes("?") ? "&" : "?"}asOf=${today}`;
    const [a, c] = await Promise.all([api("GET", `${path}${query}`), cli(...args, "--as-of", today)]);
    expect(c).toEqual(a);
    return a;
  };

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    server = await serveApp(appContext(db.store, () => new Date(clock)));
    me = await signUp(server.http as Client, { email: "ines@example.com", name: "Ines", password: PASSWORD });
    const login = await cliAsync(
      ["login", server.url, "--email", "ines@example.com", "--password-stdin"],
      {},
      {
        input: `${PASSWORD}\n`,
        env,
      },
    );
    expect(login.code).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    "shows the rate, the moves, the repeating days and micro-goal mode as the weeks go by",
    async () => {
      // Week 1, Monday 2 November: two goals, a repeating run, a few one-off steps.
      on("2026-11-02");
      const run = await api("POST", "/api/goals", {
        title: "Run a 10k in March",
        why: "To feel strong again",
        startDate: "2026-11-02",
        dueDate: "2027-03-01",
      });
      const book = await api("POST", "/api/goals", {
        title: "Send the book proposal to three agents",
        why: "The book only exists if someone reads it",
        startDate: "2026-11-02",
        dueDate: "2027-01-31",
      });
      const runs = await cli(
        "step",
        "add",
        String(run.id),
        "Run 5 km",
        "--every",
        "every Monday and Thursday",
      );
      expect([runs.dueDate, runs.recurrence]).toEqual(["2026-11-02", "FREQ=WEEKLY;BYDAY=MO,TH"]);
      const shoes = await api("POST", `/api/goals/${run.id}/steps`, {
        text: "Buy running shoes",
        dueDate: "2026-11-04",
      });
      const ana = await api("POST", `/api/goals/${book.id}/steps`, {
        text: "Email Ana for an agent introduction",
        dueDate: "2026-11-05",
        estimateMinutes: 15,
      });
      const outline = await api("POST", `/api/goals/${book.id}/steps`, {
        text: "Outline chapter one",
        dueDate: "2026-11-06",
        estimateMinutes: 90,
      });
      const week1 = await both("/api/week", "week");
      expect(
        week1.steps.map((s: J) => [s.text, s.dueDate]),
        "this week's runs stand in the week once each",
      ).toEqual([
        ["Run 5 km", "2026-11-02"],
        ["Buy running shoes", "2026-11-04"],
        ["Run 5 km", "2026-11-05"],
        ["Email Ana for an agent introduction", "2026-11-05"],
        ["Outline chapter one", "2026-11-06"],
      ]);
      await cli("step", "done", String(runs.id));
      on("2026-11-04");
      await cli("step", "done", String(shoes.id));
      on("2026-11-05");
      await api("POST", `/api/steps/${runs.id}/done`, {});

      // Week 2, Monday 9 November: Ana's email and the outline were missed; the email is moved.
      on("2026-11-09");
      await cli("step", "move", String(ana.id), "--due", "2026-11-12", "--reason", "Ana is travelling");
      on("2026-11-12");
      await cli("step", "done", String(runs.id));
      on("2026-11-15");
      const fortnight = await both("/api/report?weeks=2", "report", "--weeks", "2");
      expect(fortnight.byWeek.map((w: J) => [w.weekStart, w.kept, w.missed, w.moved])).toEqual([
        // Two runs and the shoes kept; Ana's email (moved after it was due) and the outline missed.
        ["2026-11-02", 3, 2, 1],
        // Thursday's run kept; Monday's run and Ana's email on its new day missed.
        ["2026-11-09", 1, 2, 0],
      ]);
      expect([fortnight.kept, fortnight.missed, fortnight.moved]).toEqual([4, 4, 1]);
      expect(fortnight.mostMoved.map((m: J) => [m.text, m.moves])).toEqual([
        ["Email Ana for an agent introduction", 1],
      ]);
      const text = await cliAsync(["report", "--weeks", "2", "--as-of", today], {}, { env });
      expect(text.stdout).toContain("Moved to another day: 1 time. Most moved:");
      expect(text.stdout).toContain(`#${ana.id} Email Ana for an agent introduction (1×)`);
      expect(text.stdout).toContain("week of 2026-11-02: 60% (3 kept, 2 missed), moved 1 time");

      // Week 3: the book has not moved since it started: it stalls, and micro-goal mode shows one
      // small step — Ana's email (15 minutes), never the 90-minute outline — in status and in the week.
      on("2026-11-16");
      const status = await both(`/api/goals/${book.id}/status`, "status", String(book.id));
      expect(status.stalled).toBe(true);
      expect(status.mode).toBe("micro-goal");
      // The prompt to agree a micro-goal is for whoever leads Ines, not for Ines.
      expect(status.leaderPrompt).toBeNull();
      expect(status.nextSteps.map((s: J) => s.text)).toEqual(["Email Ana for an agent introduction"]);
      const week3 = await both("/api/week", "week");
      expect(week3.microGoals.map((g: J) => [g.goalId, g.step?.text])).toEqual([
        [book.id, "Email Ana for an agent introduction"],
      ]);
      expect(week3.steps.some((s: J) => s.goalId === book.id)).toBe(false);
      expect(week3.steps.map((s: J) => [s.text, s.dueDate])).toEqual([
        ["Run 5 km", "2026-11-16"],
        ["Run 5 km", "2026-11-19"],
      ]);
      await api("POST", `/api/steps/${ana.id}/done`, {});

      // Weeks 4 to 6: the outline is dropped with a reason; the shoes turn out not bought after all.
      on("2026-11-23");
      await cli("step", "drop", String(outline.id), "--reason", "An agent wants a synopsis first");
      await cli("step", "undo", String(shoes.id), "--reason", "The order was cancelled");
      on("2026-12-13");
      const six = await both("/api/report?weeks=6", "report", "--weeks", "6");
      const [w1, w2, w3, w4, w5, w6] = six.byWeek.map((w: J) => [w.kept, w.missed, w.moved]);
      // Re-opened, the shoes are no longer kept in week 1: no later change can raise a past week.
      expect(w1).toEqual([2, 3, 1]);
      expect(w2).toEqual([1, 2, 0]);
      // Week 3 onwards: only the runs, none done after the 12th.
      expect([w3, w4, w5, w6]).toEqual([
        [0, 2, 0],
        [0, 2, 0],
        [0, 2, 0],
        [0, 2, 0],
      ]);
      const history = await api("GET", `/api/goals/${book.id}/history`);
      expect(history.items.map((c: J) => [c.entity, c.field, c.oldValue, c.newValue, c.reason])).toEqual([
        ["step", "dueDate", "2026-11-05", "2026-11-12", "Ana is travelling"],
        ["step", "status", "todo", "dropped", "An agent wants a synopsis first"],
      ]);
    },
  );
});
