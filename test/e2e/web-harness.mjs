/**
 * The web app's browser harness, shared by test/e2e/web.test.ts and `npm run screenshots`: start
 * the built server on a free port with a temporary database, call its API the way the web app does
 * (session cookie and CSRF token, or nothing on a server without accounts), seed a realistic plan,
 * and launch the system Chromium through playwright-core. Plain JavaScript so that the screenshot
 * script runs on Node 20 without a TypeScript loader; types are in web-harness.d.mts.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The system Chromium (never downloaded: `apt-get install chromium`). */
export const CHROMIUM = "/usr/bin/chromium";

/** Flags for a quiet, sandbox-free headless Chromium in containers and CI. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The owner the harness signs up on a fresh server. */
export const OWNER = {
  name: "Ada Owner",
  email: "ada@example.com",
  password: "correct horse battery staple",
};

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolvePort(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/** A day as YYYY-MM-DD, `offset` days from today (UTC, as the server counts). */
export function day(offset = 0) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/**
 * Starts `node dist/server/main.js` on a free port with a temporary SQLite file. Needs a build
 * (`npm run build`): the web app is served from web/dist.
 */
export async function startServer() {
  const main = join(ROOT, "dist/server/main.js");
  if (!existsSync(main) || !existsSync(join(ROOT, "web/dist/index.html"))) {
    throw new Error("The server or the web app is not built. Run `npm run build` first.");
  }
  const dir = mkdtempSync(join(tmpdir(), "throughline-web-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", THROUGHLINE_DB: join(dir, "web.db") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (b) => {
    output += b;
  });
  child.stderr.on("data", (b) => {
    output += b;
  });
  // Generous: on a busy 2-core machine several browser suites start their servers at once.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`The server did not answer /api/health within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether the server has accounts (/api/auth/*), and whether it still needs its owner. */
export async function authState(url) {
  const res = await fetch(`${url}/api/auth/setup`);
  if (res.status === 404) return { accounts: false, needsSetup: false };
  const body = await res.json();
  return { accounts: true, needsSetup: Boolean(body.needsSetup) };
}

/**
 * An API caller acting as `who`: signs up (first account: the owner) or signs in, then sends the
 * session cookie and CSRF token the way the web app does. On a server without accounts it sends
 * nothing and acts as the local owner.
 */
export async function apiAs(url, who = OWNER) {
  const state = await authState(url);
  const headers = { "content-type": "application/json" };
  if (state.accounts) {
    const path = state.needsSetup ? "/api/auth/sign-up" : "/api/auth/sign-in";
    const body = state.needsSetup
      ? { email: who.email, password: who.password, name: who.name }
      : { email: who.email, password: who.password };
    const res = await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const json = await res.json();
    headers.cookie = cookie;
    headers["x-csrf-token"] = json.csrfToken;
  }
  /** Calls the API and returns its JSON; a failure throws with the API's message. */
  async function call(method, path, body) {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return { call, accounts: state.accounts };
}

/**
 * Signs `who` up with an invitation token (made with `POST /api/invitations`) and returns an API
 * caller acting as them, like `apiAs`.
 */
export async function joinAs(url, token, who) {
  const headers = { "content-type": "application/json" };
  const res = await fetch(`${url}/api/auth/sign-up`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email: who.email, password: who.password, name: who.name, inviteToken: token }),
  });
  if (!res.ok) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  const json = await res.json();
  headers.cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  headers["x-csrf-token"] = json.csrfToken;
  async function call(method, path, body) {
    const r = await fetch(`${url}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return { call, userId: json.user.id, cookie: headers.cookie };
}

/**
 * Seeds a realistic workspace: an objective, a newsletter goal aligned to it (key result, steps
 * with two done in past weeks, people and tools, two barriers with Plan B, three check-ins), a
 * stalled goal, and a playbook. Returns the ids the tests use.
 */
export async function seedPlan(call) {
  const objective = await call("POST", "/goals", {
    title: "Make the newsletter pay for itself by December",
    why: "Independent writing needs independent income.",
    values: ["independence"],
    startDate: day(-3),
    dueDate: day(120),
  });
  const goal = await call("POST", "/goals", {
    title: "Grow the newsletter from 1,200 to 2,000 subscribers",
    why: "Sponsors need reach, and readers asked for a weekly issue.",
    values: ["growth", "craft"],
    parentId: objective.id,
    startDate: day(-42),
    dueDate: day(56),
    successLooksLike: "2,000 people read the Tuesday issue, and two sponsors renew for the autumn.",
  });
  const kr = await call("POST", `/goals/${goal.id}/key-results`, {
    title: "Subscribers",
    unit: "subscribers",
    startValue: 1200,
    targetValue: 2000,
  });
  const stepTexts = [
    ["Email Raj the sponsorship deck", -35, 20],
    ["Draft the welcome email for new subscribers", -21, 45],
    ["Post the March issue on LinkedIn with a sign-up link", 2, 15],
    ["Ask Mei for two guest-post introductions", 4, 10],
    ["Set up the referral reward in ConvertKit", 12, 40],
  ];
  const steps = [];
  for (const [text, due, estimateMinutes] of stepTexts) {
    steps.push(await call("POST", `/goals/${goal.id}/steps`, { text, dueDate: day(due), estimateMinutes }));
  }
  // A step cannot be done before it was written: the history steps are done today (and late).
  await call("POST", `/steps/${steps[0].id}/done`, {});
  await call("POST", `/steps/${steps[1].id}/done`, {});
  await call("POST", `/goals/${goal.id}/resources`, {
    kind: "person",
    name: "Raj",
    ask: "Introduce me to two sponsors from his podcast",
  });
  await call("POST", `/goals/${goal.id}/resources`, { kind: "tool", name: "ConvertKit", ask: null });
  const barrier = await call("POST", `/goals/${goal.id}/barriers`, {
    obstacle: "The sponsor deck approval slips",
    planB: "If the approval slips past Friday, then I ask Dana to sign as deputy",
    likelihood: "medium",
  });
  await call("POST", `/goals/${goal.id}/barriers`, {
    obstacle: "Client work eats the writing time",
    planB: "If I miss Tuesday's writing block, then I write on Thursday at 7am",
    likelihood: "high",
  });
  const checkins = [
    [-35, 1280, "on-track", "Sent the deck to Raj", "Draft the welcome email"],
    [-21, 1420, "on-track", "Welcome email is live", "Ask Mei for introductions"],
    [-3, 1580, "at-risk", "Slow week: client deadline", "Post the March issue on LinkedIn"],
  ];
  for (const [offset, value, confidence, doneText, nextStep] of checkins) {
    await call("POST", `/goals/${goal.id}/checkins`, {
      date: day(offset),
      krValues: [{ keyResultId: kr.id, value }],
      confidence,
      doneText,
      nextStep,
    });
  }
  const stalled = await call("POST", "/goals", {
    title: "Run 5 km in under 30 minutes by the city race",
    why: "Energy for the rest of the week.",
    values: ["health"],
    startDate: day(-60),
    dueDate: day(30),
  });
  await call("POST", `/goals/${stalled.id}/key-results`, {
    title: "5 km time",
    unit: "minutes",
    startValue: 34,
    targetValue: 30,
  });
  await call("POST", `/goals/${stalled.id}/steps`, {
    text: "Book a slot on the running track",
    dueDate: day(-30),
  });
  await call("POST", `/goals/${stalled.id}/steps`, {
    text: "Run 3 km on Saturday morning",
    dueDate: day(-10),
  });
  const playbook = await call("POST", "/playbooks", {
    title: "Launching a newsletter issue",
    body: [
      "# Before Tuesday",
      "",
      "1. Draft on **Sunday evening**; one idea per issue.",
      "2. Ask one reader for a quote.",
      "3. Schedule in ConvertKit for *07:00*.",
      "",
      "## After sending",
      "",
      "- Post the issue on LinkedIn with a sign-up link",
      "- Reply to every answer within a day",
      "",
      "> Small and weekly beats big and rare.",
      "",
      "See the [ConvertKit docs](https://help.convertkit.com) for scheduling. <script>alert('not run')</script>",
    ].join("\n"),
  });
  return { objective, goal, kr, steps, barrier, stalled, playbook };
}

/** Launches the system Chromium with playwright-core. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens the app in `page` and gets past the door: creates the owner on a fresh server (first run),
 * signs in on a server with accounts, or does nothing on a server without them.
 */
export async function enterApp(page, url, who = OWNER) {
  await page.goto(`${url}/`);
  const state = await authState(url);
  if (!state.accounts) {
    await page.getByRole("heading", { name: "My week" }).waitFor();
    return;
  }
  if (state.needsSetup) {
    await page.getByRole("heading", { name: "Create the owner account" }).waitFor();
    await page.getByLabel("Your name").fill(who.name);
  } else {
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  }
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: state.needsSetup ? "Create account" : "Sign in" }).click();
  await page.getByRole("heading", { name: "My week" }).waitFor();
}
