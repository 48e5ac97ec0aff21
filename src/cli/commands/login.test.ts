import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAsync } from "../../../test/helpers/cli.js";
import { freshStore } from "../../../test/helpers/dialects.js";
import { type Person, serveApp, signUp } from "../../../test/helpers/http.js";
import { appContext } from "../../app/context.js";
import { dayIn } from "../../core/dates.js";

const PASSWORD = "correct horse battery staple";

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe("throughline login, the commands against a server, and logout", () => {
  const dir = mkdtempSync(join(tmpdir(), "throughline-login-"));
  const config = join(dir, "home", "throughline", "config.json");
  // THROUGHLINE_DB keeps any local run inside the temp folder.
  const env = { THROUGHLINE_CONFIG: config, THROUGHLINE_DB: join(dir, "default-local.db") };
  const remote = {};
  let db: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let url: string;
  let owner: Person;

  beforeAll(async () => {
    db = await freshStore("sqlite");
    // The real clock: the CLI reads "today" on this machine and the server checks it.
    server = await serveApp(appContext(db.store));
    url = server.url;
    owner = await signUp(server.http, { email: "owner@example.com", name: "Olu Owner", password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedToken = () => (JSON.parse(readFileSync(config, "utf8")) as { token: string }).token;

  it("signs in with an email and a piped password and keeps only a token, in a 0600 file", async () => {
    const r = await cliAsync(["login", url, "--email", "owner@example.com", "--password-stdin"], remote, {
      input: `${PASSWORD}\n`,
      env,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Logged in to http:\/\/127\.0\.0\.1:\d+ as Olu Owner <owner@example\.com>/);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "home", "throughline")).mode & 0o777).toBe(0o700);
    const text = readFileSync(config, "utf8");
    expect(text).not.toContain(PASSWORD);
    const stored = JSON.parse(text) as { url: string; token: string; email: string; tokenId: number };
    expect(stored).toMatchObject({ url, email: "owner@example.com" });
    expect(stored.token).toMatch(/^tl_/);
    expect(r.stdout).not.toContain(stored.token);
    // The session used to make the token is ended; only the token remains.
    const whoami = await cliAsync(["whoami", "--json"], remote, { env });
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      mode: "remote",
      url,
      user: { email: "owner@example.com" },
    });
  });

  it("runs goal add, step add, checkin and goal show against the server", async () => {
    const run = async (args: string[]) => {
      const r = await cliAsync([...args, "--json"], remote, { env });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    const goal = await run(["goal", "add", "Run a 10k", "--why", "Health", "--due", "in 8 weeks"]);
    const step = await run([
      "step",
      "add",
      String(goal.id),
      "Buy running shoes",
      "--due",
      "tomorrow",
      "--owner",
      "me",
    ]);
    expect(step.ownerId).toBe(owner.userId);
    const checkin = await run(["checkin", String(goal.id), "--confidence", "on-track", "--done", "Ran 3 km"]);
    expect(checkin.planB).toEqual([]);
    const shown = await run(["goal", "show", String(goal.id)]);

    const res = await owner.api.request(`/api/goals/${goal.id}/plan`);
    expect(res.status).toBe(200);
    const plan = await res.json();
    expect(shown).toEqual(plan);
    expect(plan.goal).toMatchObject({ title: "Run a 10k", why: "Health", ownerId: owner.userId });
    expect(plan.steps.map((s: { text: string }) => s.text)).toEqual(["Buy running shoes"]);
    expect(plan.checkins.map((c: { doneText: string }) => c.doneText)).toEqual(["Ran 3 km"]);

    const human = await cliAsync(["goal", "show", String(goal.id)], remote, { env });
    expect(human.stdout).toContain(`#${goal.id} Run a 10k [active, medium]`);
    expect(human.stdout).toContain("[ ] #1 Buy running shoes");
  });

  it("reads 'today' in the person's time zone setting on the server, not the machine's", async () => {
    const zone = (timeZone: string) =>
      owner.api.request("/api/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeZone }),
      });
    expect((await zone("Etc/GMT-14")).status).toBe(200);
    try {
      // This machine is 26 hours behind the person's setting: their day is never its day.
      const machine = { ...env, TZ: "Etc/GMT+12" };
      const before = dayIn(new Date(), "Etc/GMT-14");
      const r = await cliAsync(["step", "add", "1", "Call Dana", "--due", "today", "--json"], remote, {
        env: machine,
      });
      const week = await cliAsync(["week", "--json"], remote, { env: machine });
      const after = dayIn(new Date(), "Etc/GMT-14");
      expect(r.stderr).toBe("");
      expect([before, after]).toContain((JSON.parse(r.stdout) as { dueDate: string }).dueDate);
      const { from, to } = JSON.parse(week.stdout) as { from: string; to: string };
      expect([before, after].some((day) => from <= day && day <= to)).toBe(true);
    } finally {
      await zone("UTC");
    }
  });

  it("says clearly when a step's owner is nobody on the server", async () => {
    const r = await cliAsync(["step", "add", "1", "Call the coach", "--owner", "Nobody Known"], remote, {
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "Nobody called 'Nobody Known' is in your teams on the server. Check the name, give their id, or invite them first.\n",
    );
  });

  it("works on the local file with --db, even when logged in", async () => {
    const local = { file: join(dir, "local.db") };
    const added = await cliAsync(["goal", "add", "Learn Welsh", "--json"], local, { env });
    expect(added.code).toBe(0);
    const listed = await cliAsync(["goal", "list", "--json"], local, { env });
    expect(JSON.parse(listed.stdout).map((g: { title: string }) => g.title)).toEqual(["Learn Welsh"]);
    const onServer = await (await owner.api.request("/api/goals")).json();
    expect(onServer.items.map((g: { title: string }) => g.title)).toEqual(["Run a 10k"]);
  });

  it("refuses a wrong password with one line, exit 1, and stores nothing", async () => {
    const other = join(dir, "wrong", "config.json");
    const r = await cliAsync(["login", url, "--email", "owner@example.com", "--password-stdin"], remote, {
      input: "not the password\n",
      env: { ...env, THROUGHLINE_CONFIG: other },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("The email or password is wrong. Check both and try again.\n");
    expect(() => statSync(other)).toThrow();
  });

  it("logs in with an existing token from THROUGHLINE_TOKEN, never printing it", async () => {
    const other = join(dir, "by-token", "config.json");
    const r = await cliAsync(["login", url], remote, {
      env: { ...env, THROUGHLINE_CONFIG: other, THROUGHLINE_TOKEN: owner.token },
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(owner.token);
    expect(JSON.parse(readFileSync(other, "utf8"))).toMatchObject({ url, token: owner.token });
  });

  it("says which server cannot be reached and how to work locally", async () => {
    const gone = join(dir, "gone", "config.json");
    const port = await closedPort();
    const goneEnv = { ...env, THROUGHLINE_CONFIG: gone };
    await cliAsync(["login", url], remote, { env: { ...goneEnv, THROUGHLINE_TOKEN: owner.token } });
    const stored = JSON.parse(readFileSync(gone, "utf8"));
    writeFileSync(gone, JSON.stringify({ ...stored, url: `http://127.0.0.1:${port}` }));
    const r = await cliAsync(["goal", "list"], remote, { env: goneEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^Cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\. Check the address or run \`throughline logout\` to work locally\\.\\n$`,
      ),
    );
    // Logging out still works: the login is removed here, and the message says the token lives on.
    const out = await cliAsync(["logout"], remote, { env: goneEnv });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /on this machine\. The token was not revoked \(Cannot reach .*\): revoke it on/,
    );
    expect(() => statSync(gone)).toThrow();
  });

  it("logs out: the token is revoked on the server and the CLI is local again", async () => {
    const token = storedToken();
    const r = await cliAsync(["logout"], remote, { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Logged out of http:\/\/127\.0\.0\.1:\d+\. The token was revoked on the server\./,
    );
    expect(() => statSync(config)).toThrow();
    const res = await fetch(`${url}/api/goals`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    const whoami = await cliAsync(["whoami"], remote, { env });
    expect(whoami.stdout).toMatch(/^Local mode/);
    const again = await cliAsync(["logout"], remote, { env });
    expect(again.stdout).toMatch(/^Not logged in/);
  });
});
