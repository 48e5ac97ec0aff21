/**
 * `throughline step add/edit --kr` and `step list` (issue 18): a step's key result from the command
 * line, on the local database (both dialects) and against a server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliAsync, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { serveApp, signUp } from "../../../test/helpers/http.js";
import { appContext } from "../../app/context.js";
import { addKeyResult, createGoal, updateKeyResult } from "../../app/plans/goals.js";

describe.each(DIALECTS)("step --kr on %s", { timeout: 120_000 }, (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let goalId: number;
  let krId: number;
  let foreignKr: number;
  let retiredKr: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const { ctx, actor } = await actorFor(db.store);
    goalId = (await createGoal(ctx, actor, { title: "Launch the newsletter", startDate: "2026-11-18" })).id;
    krId = (
      await addKeyResult(ctx, actor, goalId, {
        title: "Paying subscribers on the list",
        startValue: 0,
        targetValue: 200,
      })
    ).id;
    const other = await createGoal(ctx, actor, { title: "Run a 10k", startDate: "2026-11-18" });
    foreignKr = (await addKeyResult(ctx, actor, other.id, { title: "Km", startValue: 3, targetValue: 10 }))
      .id;
    retiredKr = (
      await addKeyResult(ctx, actor, goalId, { title: "Open rate", startValue: 20, targetValue: 40 })
    ).id;
    await updateKeyResult(ctx, actor, retiredKr, { retired: true, reason: "We stopped counting opens" });
  });

  /** The CLI's own words for a wrong --kr: its command and flag, never the API's path or field. */
  const speaksCli = (stderr: string) => {
    expect(stderr).not.toMatch(/GET \/api|keyResultId|\n\s+at /);
    expect(stderr).toContain(`throughline goal show ${goalId}`);
    expect(stderr).toContain("--kr none");
  };
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("links a step when adding it, unlinks and relinks it, and lists its key result", () => {
    const add = cli(["step", "add", String(goalId), "Email Raj the deck", "--kr", String(krId)], db.config);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`[KR #${krId}]`);
    const id = (add.stdout.match(/#(\d+)/) as RegExpMatchArray)[1] as string;
    const list = cli(["step", "list", "--goal", String(goalId)], db.config);
    expect(list.stdout).toContain(`Email Raj the deck  [KR #${krId} Paying subscribers on t…]`);
    const cleared = cliJson<{ keyResultId: number | null }>(
      ["step", "edit", id, "--kr", "none", "--json"],
      db.config,
    );
    expect(cleared.keyResultId).toBeNull();
    expect(cli(["step", "list", "--goal", String(goalId)], db.config).stdout).not.toContain("[KR");
    const relinked = cliJson<{ keyResultId: number | null }>(
      ["step", "edit", id, "--kr", String(krId), "--json"],
      db.config,
    );
    expect(relinked.keyResultId).toBe(krId);
  });

  it.skipIf(skip)("refuses another goal's key result, or a word, with a sentence and no stack", () => {
    const r = cli(["step", "add", String(goalId), "Never stored", "--kr", String(foreignKr)], db.config);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Key result ${foreignKr} is not one of goal ${goalId}'s`);
    speaksCli(r.stderr);
    const word = cli(["step", "add", String(goalId), "Never stored", "--kr", "subscribers"], db.config);
    expect(word.code).not.toBe(0);
    expect(word.stderr).toContain("is not a key result id");
    speaksCli(word.stderr);
    expect(cli(["step", "list", "--goal", String(goalId)], db.config).stdout).not.toContain("Never stored");
  });

  it.skipIf(skip)(
    "names its own command and flag for a missing or retired key result, on add and edit",
    () => {
      const missing = cli(["step", "add", String(goalId), "Never stored", "--kr", "99999"], db.config);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain(`Key result 99999 is not one of goal ${goalId}'s`);
      speaksCli(missing.stderr);
      const retired = cli(
        ["step", "add", String(goalId), "Never stored", "--kr", String(retiredKr)],
        db.config,
      );
      expect(retired.code).not.toBe(0);
      expect(retired.stderr).toContain("is retired");
      speaksCli(retired.stderr);
      const add = cli(["step", "add", String(goalId), "Draft the welcome email"], db.config);
      const id = (add.stdout.match(/#(\d+)/) as RegExpMatchArray)[1] as string;
      const edit = cli(["step", "edit", id, "--kr", String(foreignKr)], db.config);
      expect(edit.code).not.toBe(0);
      expect(edit.stderr).toContain(`Key result ${foreignKr} is not one of goal ${goalId}'s`);
      speaksCli(edit.stderr);
      expect(cli(["step", "list", "--goal", String(goalId)], db.config).stdout).not.toContain("Never stored");
    },
  );

  // R for a step on its own add
  it.skipIf(skip)("says when an added step is tied to neither a key result nor the why", () => {
    const loose = cli(["step", "add", String(goalId), "Repaint the office"], db.config);
    expect(loose.code, loose.stderr).toBe(0);
    expect(loose.stdout).toContain(`coach (step-not-relevant): This step "Repaint the office" isn't tied`);
    const linked = cli(
      ["step", "add", String(goalId), "Repaint the office", "--kr", String(krId)],
      db.config,
    );
    expect(linked.stdout).not.toContain("step-not-relevant");
  });

  it.skipIf(skip)("does the same against a server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "throughline-step-kr-"));
    const env = { THROUGHLINE_CONFIG: join(dir, "config.json"), THROUGHLINE_DB: join(dir, "local.db") };
    const server = await serveApp(appContext(db.store));
    try {
      const dana = await signUp(server.http, { email: "dana@example.com", name: "Dana" });
      expect(
        (await cliAsync(["login", server.url], {}, { env: { ...env, THROUGHLINE_TOKEN: dana.token } }))
          .stderr,
      ).toBe("");
      const add = await cliAsync(
        ["step", "add", String(goalId), "Pitch two sponsors", "--kr", String(krId)],
        {},
        { env },
      );
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toContain(`[KR #${krId}]`);
      const list = await cliAsync(["step", "list", "--goal", String(goalId)], {}, { env });
      expect(list.stdout).toContain(`Pitch two sponsors  [KR #${krId} Paying subscribers on t…]`);
      const bad = await cliAsync(
        ["step", "add", String(goalId), "Never stored", "--kr", String(foreignKr)],
        {},
        { env },
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain(`Key result ${foreignKr} is not one of goal ${goalId}'s`);
      speaksCli(bad.stderr);
      const retired = await cliAsync(
        ["step", "add", String(goalId), "Never stored", "--kr", String(retiredKr)],
        {},
        { env },
      );
      expect(retired.code).not.toBe(0);
      expect(retired.stderr).toContain("is retired");
      speaksCli(retired.stderr);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
