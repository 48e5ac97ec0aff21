/**
 * Where a warm navigation's time goes (issue 17, nav25): `bench/web-nav.mjs`'s warm navigations
 * (same seed, same "data on screen" figure), each one recorded in full —
 *
 * - the browser's timeline: the document's own request (navigation timing), every resource with
 *   its timing and whether it came over the wire, a 304 or the cache, long tasks and long
 *   animation frames (PerformanceObserver, buffered, installed before the app's scripts);
 * - the server's side: each request's arrival and answer, the CPU the server spent meanwhile, and
 *   its GC pauses (bench/nav-probe-server.cjs, preloaded into the server);
 * - the machine: CPU jiffies of the whole machine, of the server and of the browser's processes
 *   during the navigation, and `procs_running`.
 *
 *   node bench/nav-probe.mjs [--runs 20] [--root DIR[,DIR2]] [--out FILE.json]
 *
 * With two roots (two built trees, e.g. the base and a change), one server per root, and the warm
 * navigations alternate between them in the same minutes (A, B, A, B…), each in its own tab. Writes
 * nothing to docs/. Needs `npm run build` in each root.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiAs, enterApp, freePort, launchChromium } from "../test/e2e/web-harness.mjs";
import { seed } from "./web-nav-seed.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const flag = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(flag("--runs", "20"));
const ROOTS = flag("--root", ROOT)
  .split(",")
  .map((r) => resolve(r));
const OUT = flag("--out", null);
const PAGES = flag("--pages", "week,goal").split(",");
/**
 * `--nice N`: every other round, the browser's and the servers' scheduler groups run at nice N
 * (e.g. -15) and the others at 0, so the same code is measured with and without the machine's other load in
 * its way, in the same minutes (root only; nothing else is reniced).
 */
const NICE = process.argv.includes("--nice") ? Number(flag("--nice", "-15")) : null;

/** The built server of `root` on a free port, with the probe preloaded. */
async function startProbedServer(root, label) {
  const dir = mkdtempSync(join(tmpdir(), "nav25-probe-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = join(dir, "server.jsonl");
  const child = spawn(
    process.execPath,
    ["--require", join(ROOT, "bench/nav-probe-server.cjs"), join(root, "dist/server/main.js")],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        THROUGHLINE_DB: join(dir, "web.db"),
        NAV_PROBE_OUT: log,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label}: the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label}: no /api/health within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    label,
    pid: child.pid,
    /** The server's notes (requests, GC pauses) so far. */
    notes: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [],
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** In the page before its scripts: the "data on screen" mark, and long tasks and frames kept. */
function watchScript({ kind, titles }) {
  const shown =
    kind === "week"
      ? () => titles.every((t) => document.body?.textContent?.includes(t))
      : () =>
          Boolean(document.querySelector("h1")?.textContent?.includes(titles[0])) &&
          document.querySelectorAll('section[aria-labelledby="checkins-title"] ol.timeline li').length > 0;
  let resolveShown;
  window.__shown = new Promise((r) => {
    resolveShown = r;
  });
  window.__long = [];
  for (const type of ["longtask", "long-animation-frame"]) {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window.__long.push({
            type,
            start: e.startTime,
            ms: e.duration,
            blocking: e.blockingDuration,
            render: e.renderStart,
            scripts: (e.scripts ?? []).map((s) => ({
              src: `${s.invoker} ${s.sourceURL?.split("/").pop() ?? ""}`,
              start: s.startTime,
              ms: s.duration,
              forced: s.forcedStyleAndLayoutDuration,
            })),
          });
        }
      }).observe({ type, buffered: true });
    } catch {
      // not supported
    }
  }
  const observer = new MutationObserver(() => {
    if (window.__shownAt === undefined && shown()) {
      window.__shownAt = performance.now();
      resolveShown({ at: window.__shownAt, origin: performance.timeOrigin });
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

const TIMELINE = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const r = (e) => ({
    name: e.name.replace(location.origin, ""),
    type: e.initiatorType,
    start: e.startTime,
    reqStart: e.requestStart,
    resStart: e.responseStart,
    end: e.responseEnd,
    size: e.transferSize,
    body: e.encodedBodySize,
    status: e.responseStatus,
    render: e.renderBlockingStatus,
  });
  return {
    origin: performance.timeOrigin,
    nav: { ...r(nav), domInteractive: nav.domInteractive, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd },
    resources: performance.getEntriesByType("resource").map(r),
    long: window.__long,
    paint: performance.getEntriesByType("paint").map((p) => ({ name: p.name, at: p.startTime })),
  };
})()`;

/** CPU jiffies: the machine's busy total, and per pid from /proc/PID/stat. */
function machine() {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n");
  const f = cpu[0].split(/\s+/).slice(1).map(Number);
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  const running = Number(cpu.find((l) => l.startsWith("procs_running")).split(" ")[1]);
  const procs = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
      procs.set(Number(d), { ppid: Number(rest[1]), cpu: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone
    }
  }
  return { busy, running, procs };
}

/** The kind of a process of the tree: Chromium's `--type=`, "browser", or "node". */
const kinds = new Map();
function kindOf(pid) {
  if (!kinds.has(pid)) {
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      // gone
    }
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
    const sub = /--utility-sub-type=([A-Za-z.]+)/.exec(cmd)?.[1];
    kinds.set(
      pid,
      type ? `${type}${sub ? ` ${sub.split(".").pop()}` : ""}` : cmd.includes("chrom") ? "browser" : "node",
    );
  }
  return kinds.get(pid);
}

/** Jiffies of the tree under `root` between two snapshots, by kind of process. */
function cpuByKind(a, b, root) {
  const kids = new Map();
  for (const [pid, p] of b.procs) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(pid);
  }
  const out = {};
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    const d = (b.procs.get(pid)?.cpu ?? 0) - (a.procs.get(pid)?.cpu ?? 0);
    if (d) out[kindOf(pid)] = (out[kindOf(pid)] ?? 0) + d;
    stack.push(...(kids.get(pid) ?? []));
  }
  return out;
}

/** Jiffies of `pid` and its descendants between two snapshots. */
function treeCpu(a, b, roots) {
  const kids = new Map();
  for (const [pid, p] of b.procs) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(pid);
  }
  let sum = 0;
  const stack = [...roots];
  const seen = new Set();
  while (stack.length) {
    const pid = stack.pop();
    if (seen.has(pid)) continue;
    seen.add(pid);
    sum += (b.procs.get(pid)?.cpu ?? 0) - (a.procs.get(pid)?.cpu ?? 0);
    for (const k of kids.get(pid) ?? []) stack.push(k);
  }
  return sum;
}

/**
 * Sets the nice value of the scheduler autogroups of `root`'s process tree (this process's own
 * and Chromium's, which starts in a session of its own): with autogroups on (Linux's default,
 * `/proc/sys/kernel/sched_autogroup_enabled`), a thread's own nice only weighs against the threads
 * of its group, and the group's against the machine's other sessions.
 */
function reniceTree(root, nice) {
  const snap = machine();
  const kids = new Map();
  for (const [pid, p] of snap.procs) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(pid);
  }
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    } catch {
      // gone, or no autogroups
    }
    stack.push(...(kids.get(pid) ?? []));
  }
}

let lastOrigin = null;
async function navigate(page, cdp, url) {
  await page.goto(url, { waitUntil: "commit" });
  const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", {
    expression: "window.__shown",
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails || typeof result?.value?.at !== "number") throw new Error(`${url}: no figure`);
  if (result.value.origin === lastOrigin) throw new Error(`${url}: read the previous page's figure`);
  lastOrigin = result.value.origin;
  const shownSnap = machine();
  await page.waitForLoadState("networkidle");
  const timeline = (await cdp.send("Runtime.evaluate", { expression: TIMELINE, returnByValue: true })).result
    .value;
  return { at: result.value.at, timeline, shownSnap };
}

/**
 * A navigation's path, ms from its start: the document's answer (`doc`), the start of the preloads
 * of its Link header (`preload`), the page data's answer complete (`data`; `dataSrv`: its time in
 * the server), the app's script run (`js`: DOMContentLoaded), and the data on screen less the later
 * of data and script (`render`); `long`: the long tasks' total.
 */
function segments(r) {
  const t = r.timeline;
  const api = t.resources.filter((x) => x.type === "link" && x.name.startsWith("/api/"));
  const data = api.find((x) => x.name !== "/api/auth/session");
  const srv = r.requests.find((x) => data && x.url === data.name);
  const f = (x) => (x === undefined ? "-" : Math.round(x));
  return {
    doc: f(t.nav.resStart),
    preload: f(Math.min(...api.map((x) => x.start))),
    data: f(data?.end),
    dataSrv: f(srv?.ms),
    js: f(t.nav.dcl),
    render: f(r.at - Math.max(data?.end ?? 0, t.nav.dcl)),
    long: f((t.long ?? []).filter((l) => l.type === "longtask").reduce((n, l) => n + l.ms, 0)),
  };
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

const servers = [];
const browser = await launchChromium();
const records = [];
try {
  const tabs = [];
  for (const [i, root] of ROOTS.entries()) {
    const server = await startProbedServer(root, ROOTS.length > 1 ? "AB"[i] : "only");
    servers.push(server);
    const { call } = await apiAs(server.url);
    const { titles, bigId, bigTitle } = await seed(call);
    const signIn = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await enterApp(await signIn.newPage(), server.url);
    const storageState = await signIn.storageState();
    await signIn.close();
    for (const p of PAGES) {
      const watch = p === "week" ? { kind: "week", titles } : { kind: "goal", titles: [bigTitle] };
      const path = p === "week" ? "/" : `/goals/${bigId}`;
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState });
      await ctx.addInitScript(watchScript, watch);
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      tabs.push({ server, page: p, url: server.url + path, tab: page, cdp, ctx });
    }
  }
  // One cold navigation per tab first (not counted), as bench/web-nav.mjs does before its warm runs.
  for (const t of tabs) await navigate(t.tab, t.cdp, t.url);
  for (let run = 0; run < RUNS; run++) {
    const niced = NICE !== null && run % 2 === 0;
    if (NICE !== null) reniceTree(process.pid, niced ? NICE : 0);
    for (const t of tabs) {
      const a = machine();
      const wallStart = Date.now();
      // The machine from the navigation's start to the data on screen (read over CDP right after).
      const { at, timeline, shownSnap: b } = await navigate(t.tab, t.cdp, t.url);
      const from = timeline.origin;
      const to = from + at;
      const notes = t.server.notes().filter((n) => n.start + (n.ms ?? 0) >= from - 5 && n.start <= to);
      records.push({
        server: niced ? `${t.server.label} nice ${NICE}` : t.server.label,
        page: t.page,
        run,
        at,
        load1: loadavg()[0],
        jiffies: {
          machine: b.busy - a.busy,
          server: treeCpu(a, b, [t.server.pid]),
          // The browser is this process's other child tree (the servers are children too).
          browser: treeCpu(a, b, [process.pid]) - servers.reduce((n, s) => n + treeCpu(a, b, [s.pid]), 0),
          running: [a.running, b.running],
          byKind: cpuByKind(a, b, process.pid),
          wallMs: Date.now() - wallStart,
        },
        requests: notes
          .filter((n) => n.kind === "req")
          .map((n) => ({
            url: n.url,
            port: n.port,
            status: n.status,
            at: n.start - from,
            ms: n.end - n.start,
            cpuMs: n.cpuMs,
          })),
        gc: notes.filter((n) => n.kind === "gc").map((n) => ({ at: n.start - from, ms: n.ms, type: n.type })),
        stalls: notes
          .filter((n) => n.kind === "stall")
          .map((n) => ({ at: n.start - from, ms: n.ms, cpuMs: n.cpuMs })),
        conns: notes
          .filter((n) => n.kind === "conn")
          .map((n) => ({ at: n.start - from, data: n.firstData - from, port: n.port })),
        timeline,
      });
      const r = records.at(-1);
      r.seg = segments(r);
      const g = r.seg;
      console.error(
        `${r.server} ${t.page} #${run}: ${at.toFixed(0)} ms | doc ${g.doc} preload ${g.preload} data ${g.data} (srv ${g.dataSrv}) js ${g.js} render ${g.render} | gc ${r.gc.map((x) => x.ms.toFixed(0))} | long ${g.long} | jiffies machine ${r.jiffies.machine} server ${r.jiffies.server} browser ${r.jiffies.browser} running ${r.jiffies.running} | load ${r.load1.toFixed(1)}`,
      );
    }
  }
  for (const t of tabs) await t.ctx.close();
} finally {
  if (NICE !== null) reniceTree(process.pid, 0);
  await browser.close();
  for (const s of servers) await s.stop();
}

const groups = new Map();
for (const r of records) {
  const key = `${r.server} ${r.page}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r.at);
}
for (const [key, xs] of groups) {
  console.log(
    `${key}: n ${xs.length}, median ${q(xs, 0.5).toFixed(0)}, p90 ${q(xs, 0.9).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} ms`,
  );
}
if (OUT) writeFileSync(OUT, JSON.stringify(records, null, 1));
