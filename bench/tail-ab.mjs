/**
 * Where the check-in's p99 at 10 connections comes from (issue 17, tail22): servers loaded in
 * alternating rounds with the same check-ins on one copy of a bench database, each with
 * bench/tail-probe.cjs preloaded, and per round: the requests over 20 ms per 10,000 as the client
 * saw them and as the server did (headers parsed → answer written), V8's garbage-collection pauses
 * per 10,000 check-ins, the checkpoints the worker ran, how many slow requests overlapped a pause
 * or a checkpoint (against how many of all requests did, by chance), the event loop's delay, the
 * server's CPU per check-in and its RSS. Counts and ratios move less with the machine's load than
 * req/s and a p99 do.
 *
 *   node bench/tail-ab.mjs --db COPY.db [--rounds 4] [--per-round 4000] [--warm-up 3000] [--nice 0]
 *     [--own-copies] --server 'NAME|SCRIPT|FLAGS[|NICE]' [--server …]
 *
 * SCRIPT is a built server (`CHECKOUT/dist/server/main.js`) or a floor
 * (`CHECKOUT/dist/bench-build/bench/bare-checkin.js`); FLAGS its node flags, space-separated
 * (`start` for the flags of that checkout's `npm start`). The load generator is a child process of
 * its own (`--nice N`, or NICE for one server, runs it at that niceness, so the server wins the CPU
 * when both want it). `--own-copies` gives each server a copy of the database of its own (made
 * after the tokens, removed at the end), so one server's write-ahead log and checkpoints are not
 * another's.
 * Writes check-ins and API tokens: give it a copy (its secret.key beside it). Linux only (/proc).
 */
import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { checkinPeople } from "./checkin-people.mjs";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const args = (name) => process.argv.flatMap((a, i) => (a === `--${name}` ? [process.argv[i + 1]] : []));
const SLOW_MS = 20;

// The load generator: `node tail-ab.mjs --client PORT CONNECTIONS N PEOPLE.json` prints
// [[start, end], …] (epoch ms) of N check-ins sent from CONNECTIONS keep-alive connections.
if (process.argv[2] === "--client") {
  const [port, connections, n] = process.argv.slice(3, 6).map(Number);
  const people = JSON.parse(readFileSync(process.argv[6], "utf8"));
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const origin = performance.timeOrigin;
  const times = [];
  let k = 0;
  let left = n;
  const send = (p) =>
    new Promise((ok, fail) => {
      const t0 = origin + performance.now();
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          agent,
          method: "POST",
          path: `/api/goals/${p.goalId}/checkins`,
          headers: {
            authorization: `Bearer ${p.token}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(p.body),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 201) return fail(new Error(`status ${res.statusCode}`));
            times.push([t0, origin + performance.now()]);
            ok();
          });
        },
      );
      req.on("error", fail);
      req.end(p.body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left-- > 0) await send(people[k++ % people.length]);
    }),
  );
  agent.destroy();
  process.stdout.write(JSON.stringify(times));
  process.exit(0);
}

const file = resolve(arg("db", "./data/bench.db"));
const rounds = Number(arg("rounds", "4"));
const perRound = Number(arg("per-round", "4000"));
const warmUp = Number(arg("warm-up", "3000"));
const connections = Number(arg("connections", "10"));
const niceness = Number(arg("nice", "0"));
/** Each server on a copy of its own (its WAL, its checkpoints), made after the tokens are. */
const ownCopies = process.argv.includes("--own-copies");
const here = import.meta.dirname;
const probe = resolve(here, "tail-probe.cjs");

const startFlags = (root) => {
  const start = JSON.parse(readFileSync(`${root}/package.json`, "utf8")).scripts.start;
  return (/\bnode((?:\s+--\S+)*)\s+dist\/server\/main\.js\b/.exec(start)?.[1] ?? "")
    .split(/\s+/)
    .filter(Boolean);
};
const specs = args("server").map((s) => {
  const [who, script, flags = "", nice = String(niceness)] = s.split("|");
  const path = resolve(script);
  const root = path.includes("/dist/") ? path.slice(0, path.indexOf("/dist/")) : dirname(path);
  return {
    who,
    script: path,
    nice: Number(nice),
    flags: flags === "start" ? startFlags(root) : flags.split(/\s+/).filter(Boolean),
  };
});
if (specs.length === 0) throw new Error("give at least one --server 'NAME|SCRIPT|FLAGS'");

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

// The people and their tokens, made with the first server's checkout's own code.
const firstRoot = specs
  .find((s) => s.script.endsWith("/dist/server/main.js"))
  ?.script.replace(/\/dist\/server\/main\.js$/, "");
const people = await checkinPeople(firstRoot, file, { count: 100, tokenName: "tail" });
const peopleFile = `${file}.tail-people.json`;
await import("node:fs").then((fs) => fs.writeFileSync(peopleFile, JSON.stringify(people)));

async function start(spec) {
  const port = await freePort();
  const out = `${file}.probe-${spec.who}.json`;
  const child = spawn(process.execPath, ["--require", probe, ...spec.flags, spec.script], {
    env: {
      ...process.env,
      THROUGHLINE_DB: spec.db,
      DATABASE_URL: "",
      THROUGHLINE_SCHEDULER: "off",
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      TAIL_PROBE_OUT: out,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { ...spec, child, port, out };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${spec.who} did not start`);
}

const client = (s, n) =>
  new Promise((ok, fail) => {
    const cmd = [process.argv[1], "--client", String(s.port), String(connections), String(n), peopleFile];
    const c =
      s.nice > 0
        ? spawn("nice", ["-n", String(s.nice), process.execPath, ...cmd])
        : spawn(process.execPath, cmd);
    const chunks = [];
    c.stdout.on("data", (d) => chunks.push(d));
    c.stderr.on("data", (d) => process.stderr.write(d));
    c.on("exit", (code) =>
      code === 0
        ? ok(JSON.parse(Buffer.concat(chunks).toString()))
        : fail(new Error(`${s.who}: client ${code}`)),
    );
  });
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const dump = async (s) => {
  rmSync(s.out, { force: true });
  s.child.kill("SIGUSR2");
  for (let i = 0; i < 100; i++) {
    try {
      return JSON.parse(readFileSync(s.out, "utf8"));
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`${s.who}: no probe output`);
};
const overlaps = (a0, a1, spans) => spans.some(([b0, d]) => b0 < a1 && b0 + d > a0);
const load1 = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0];

const servers = [];
try {
  for (const spec of specs) {
    spec.db = ownCopies ? `${file}.${spec.who}.db` : file;
    if (ownCopies) {
      copyFileSync(file, spec.db);
    }
    servers.push(await start(spec));
  }
  for (const s of servers) {
    await client(s, warmUp);
    await dump(s);
  }
  const sum = Object.fromEntries(servers.map((s) => [s.who, []]));
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 ? [...servers].reverse() : servers) {
      const cpu0 = cpuOf(s.child.pid);
      const load = load1();
      const t = performance.now();
      const times = await client(s, perRound);
      const wall = performance.now() - t;
      const cpu = cpuOf(s.child.pid) - cpu0;
      const p = await dump(s);
      const lat = times.map(([a, b]) => b - a).sort((x, y) => x - y);
      const slow = times.filter(([a, b]) => b - a > SLOW_MS);
      const pauses = p.gcs.filter(([, d]) => d >= 1);
      const cps = p.checkpoints.filter(([, d]) => d >= 1);
      const n = times.length;
      const per10k = (x) => (x * 10000) / n;
      const row = {
        load,
        rps: (n * 1000) / wall,
        p50: lat[Math.floor(n * 0.5)],
        p99: lat[Math.floor(n * 0.99)],
        max: lat[n - 1],
        slow: per10k(slow.length),
        servedSlow: per10k(p.served.filter((x) => x > SLOW_MS).length),
        servedP99: p.served.sort((x, y) => x - y)[Math.floor(p.served.length * 0.99)],
        cpuMs: (cpu * 1000) / n,
        gcMs: per10k(p.gcs.reduce((a, [, d]) => a + d, 0)),
        scavenges: per10k(p.gcs.filter(([, , k]) => k === 1).length),
        markCompacts: per10k(p.gcs.filter(([, , k]) => k === 4).length),
        gcMax: Math.max(0, ...p.gcs.map(([, d]) => d)),
        checkpoints: p.checkpoints.length,
        cpMs: per10k(p.checkpoints.reduce((a, [, d]) => a + d, 0)),
        walMax: Math.max(0, ...p.checkpoints.map(([, , log]) => log)),
        cpMax: Math.max(0, ...p.checkpoints.map(([, d]) => d)),
        slowWithGc: slow.length ? slow.filter(([a, b]) => overlaps(a, b, pauses)).length / slow.length : 0,
        allWithGc: times.filter(([a, b]) => overlaps(a, b, pauses)).length / n,
        slowWithCp: slow.length ? slow.filter(([a, b]) => overlaps(a, b, cps)).length / slow.length : 0,
        allWithCp: times.filter(([a, b]) => overlaps(a, b, cps)).length / n,
        sqlSlow: per10k(p.slowSql.length),
        sqlMax: Math.max(0, ...p.slowSql.map(([, d]) => d)),
        sqlTop: Object.entries(
          p.slowSql.reduce((a, [, , q]) => {
            a[q] = (a[q] ?? 0) + 1;
            return a;
          }, {}),
        )
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([q, c]) => `${c}× ${q.slice(0, 30)}`)
          .join("; "),
        slowWithSql: slow.length
          ? slow.filter(([a, b]) =>
              overlaps(
                a,
                b,
                p.slowSql.filter(([, d]) => d >= 5),
              ),
            ).length / slow.length
          : 0,
        allWithSql:
          times.filter(([a, b]) =>
            overlaps(
              a,
              b,
              p.slowSql.filter(([, d]) => d >= 5),
            ),
          ).length / n,
        // The log restarted from its start (its size in the worker's next report fell).
        restarts: per10k(p.checkpoints.filter((c, i) => i > 0 && c[2] < p.checkpoints[i - 1][2]).length),
        // Requests over 20 ms that overlapped a commit of ≥ 10 ms (the backstop's checkpoint runs in one).
        slowByCommit: per10k(
          slow.filter(([a, b]) =>
            overlaps(
              a,
              b,
              p.slowSql.filter(([, d, q]) => d >= 10 && /^commit$/i.test(q)),
            ),
          ).length,
        ),
        longCommits: per10k(
          p.slowSql.filter(([, d, q]) => d >= 10 && /^commit$|^transaction$/i.test(q)).length,
        ),
        loopP99: p.loopDelay.p99,
        loopMax: p.loopDelay.max,
        rssMb: p.rssMb,
      };
      sum[s.who].push(row);
      const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "-");
      console.log(
        `round ${r + 1} ${s.who.padEnd(14)} load ${row.load}  ${f(row.rps, 0)} req/s p50 ${f(row.p50)} p99 ${f(row.p99)} max ${f(row.max)} | >20ms/10k client ${f(row.slow, 0)} server ${f(row.servedSlow, 0)} (server p99 ${f(row.servedP99)}) | cpu ${f(row.cpuMs, 3)} ms | gc ${f(row.gcMs, 0)} ms/10k, ${f(row.scavenges, 0)} scav + ${f(row.markCompacts, 1)} mc /10k, max ${f(row.gcMax)} | cp ${row.checkpoints} (${f(row.cpMs, 0)} ms/10k, max ${f(row.cpMax)} ms, WAL ≤ ${row.walMax} pages) | slow∩gc ${f(100 * row.slowWithGc, 0)}% (all ${f(100 * row.allWithGc, 0)}%) slow∩cp ${f(100 * row.slowWithCp, 0)}% (all ${f(100 * row.allWithCp, 0)}%) | sql ≥2ms ${f(row.sqlSlow, 0)}/10k max ${f(row.sqlMax)} [${row.sqlTop}] slow∩sql≥5 ${f(100 * row.slowWithSql, 0)}% (all ${f(100 * row.allWithSql, 0)}%) | restarts ${f(row.restarts, 1)}/10k, commits ≥10ms ${f(row.longCommits, 1)}/10k, slow behind one ${f(row.slowByCommit, 0)}/10k | loop p99 ${f(row.loopP99)} max ${f(row.loopMax)} | rss ${f(row.rssMb, 0)} MB`,
      );
    }
  }
  console.log("\nmedians over the rounds:");
  const med = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  for (const s of servers) {
    const rs = sum[s.who];
    const m = (k) => med(rs.map((r) => r[k]));
    console.log(
      `${s.who.padEnd(14)} [${s.flags.join(" ")}] ${m("rps").toFixed(0)} req/s p99 ${m("p99").toFixed(1)} | >20ms/10k client ${m("slow").toFixed(0)} server ${m("servedSlow").toFixed(0)} | cpu ${m("cpuMs").toFixed(3)} ms | gc ${m("gcMs").toFixed(0)} ms/10k (${m("scavenges").toFixed(0)} scav, ${m("markCompacts").toFixed(1)} mc, max ${m("gcMax").toFixed(1)}) | slow∩gc ${(100 * m("slowWithGc")).toFixed(0)}% vs ${(100 * m("allWithGc")).toFixed(0)}% | cp ${m("cpMs").toFixed(0)} ms/10k, max ${m("cpMax").toFixed(0)} | slow∩cp ${(100 * m("slowWithCp")).toFixed(0)}% vs ${(100 * m("allWithCp")).toFixed(0)}% | sql≥2ms ${m("sqlSlow").toFixed(0)}/10k max ${m("sqlMax").toFixed(0)} slow∩sql≥5 ${(100 * m("slowWithSql")).toFixed(0)}% vs ${(100 * m("allWithSql")).toFixed(0)}% | restarts ${m("restarts").toFixed(1)}/10k, commits ≥10ms ${m("longCommits").toFixed(1)}/10k, slow behind one ${m("slowByCommit").toFixed(0)}/10k | loop p99 ${m("loopP99").toFixed(1)} | rss ${m("rssMb").toFixed(0)} MB`,
    );
  }
} finally {
  for (const s of servers) s.child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(peopleFile, { force: true });
  if (ownCopies)
    for (const s of servers) for (const x of ["", "-wal", "-shm"]) rmSync(`${s.db}${x}`, { force: true });
}
