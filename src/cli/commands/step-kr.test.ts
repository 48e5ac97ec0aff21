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
import { addKeyResult, createGoal } from "../../app/plans/goals.js";

describe.each(DIALECTS)("step --kr on %s", { timeout: 120_000 }, (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let goalId: number;
  let krId: number;
  let foreignKr: number;

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
  });
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
    expect(r.stderr).toContain(`not a key result of goal ${goalId}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const word = cli(["step", "add", String(goalId), "Never stored", "--kr", "subscribers"], db.config);
    expect(word.code).not.toBe(0);
    expect(word.stderr).toContain("is not a key result id");
    expect(cli(["step", "list", "--goal", String(goalId)], db.config).stdout).not.toContain("Never stored");
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
      expect(bad.stderr).toContain(`not a key result of goal ${goalId}`);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
