/**
 * Two builds' check-ins over real sockets, A/B by the server's CPU (issue 17, http21): each build's
 * server as `npm start` runs it (its package.json's node flags, scheduler off) and the floor
 * (bench/bare-checkin.ts), three child processes on one copy of a bench database, loaded in
 * alternating rounds with the same check-ins from 10 keep-alive connections; each round reads the
 * loaded server's CPU time from /proc (every thread: the checkpointer's too). On a machine shared
 * with other work req/s says more about the neighbours than the code, while CPU per check-in stays
 * readable; `bench/checkin-ab.mjs` measures the same in-process but through `app.request`, which
 * never takes @hono/node-server's socket path (how the body is read, how the answer is written).
 *
 *   node bench/checkin-http-cpu.mjs --base /path/to/base-checkout --new . --db COPY.db [--rounds 6] [--per-round 1000] [--warm-up 3000] [--connections 10]
 *
 * Both checkouts built (`npm run build && npx tsc -p bench/tsconfig.json`). It writes check-ins and
 * API tokens: give it a copy (with its secret.key beside it). Linux only (/proc).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { checkinPeople } from "./checkin-people.mjs";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const file = resolve(arg("db", "./data/bench.db"));
const rounds = Number(arg("rounds", "6"));
const perRound = Number(arg("per-round", "1000"));
const warmUp = Number(arg("warm-up", "3000"));
const connections = Number(arg("connections", "10"));
const roots = { base: resolve(arg("base", ".")), new: resolve(arg("new", ".")) };

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

// The people and their tokens, made with the new build's own code.
const people = await checkinPeople(roots.new, file, { count: 50, tokenName: "http-cpu" });

async function start(who, script, flags) {
  const port = await freePort();
  const child = spawn(process.execPath, [...flags, script], {
    env: {
      ...process.env,
      THROUGHLINE_DB: file,
      DATABASE_URL: "",
      THROUGHLINE_SCHEDULER: "off",
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { who, child, port, agent: new http.Agent({ keepAlive: true, maxSockets: connections }) };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${who} did not start`);
}
const serverFlags = (root) => {
  const start = JSON.parse(readFileSync(`${root}/package.json`, "utf8")).scripts.start;
  return (/\bnode((?:\s+--\S+)*)\s+dist\/server\/main\.js\b/.exec(start)?.[1] ?? "")
    .split(/\s+/)
    .filter(Boolean);
};
const servers = [
  await start("base", `${roots.base}/dist/server/main.js`, serverFlags(roots.base)),
  await start("new", `${roots.new}/dist/server/main.js`, serverFlags(roots.new)),
  await start("floor", `${roots.new}/dist/bench-build/bench/bare-checkin.js`, []),
];

let k = 0;
const send = (s, p) =>
  new Promise((ok, fail) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: s.port,
        agent: s.agent,
        method: "POST",
        path: `/api/goals/${p.goalId}/checkins`,
        headers: {
          authorization: `Bearer ${p.token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(p.body),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 201
            ? ok()
            : fail(
                new Error(`${s.who}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`),
              ),
        );
      },
    );
    req.on("error", (e) => fail(new Error(`${s.who}: ${e.message}`)));
    req.end(p.body);
  });
const load = async (s, n) => {
  // Fresh connections each round: a server closes a keep-alive socket idle past its timeout (5 s)
  // while the other servers are loaded, and a request sent on it then would meet ECONNRESET.
  s.agent.destroy();
  s.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let left = n;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left-- > 0) await send(s, people[k++ % people.length]);
    }),
  );
};
/** CPU seconds of a process so far (utime + stime of every thread), from /proc. */
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

try {
  for (const s of servers) await load(s, warmUp);
  const cpu = { base: 0, new: 0, floor: 0 };
  const wall = { base: 0, new: 0, floor: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 ? [...servers].reverse() : servers) {
      const c = cpuOf(s.child.pid);
      const t = performance.now();
      await load(s, perRound);
      wall[s.who] += performance.now() - t;
      cpu[s.who] += cpuOf(s.child.pid) - c;
    }
  }
  const ms = (w) => (1000 * cpu[w]) / (rounds * perRound);
  for (const w of ["base", "new", "floor"])
    console.log(
      `${w}: ${ms(w).toFixed(3)} ms of server CPU a check-in; ${((rounds * perRound * 1000) / wall[w]).toFixed(0)} req/s while loaded`,
    );
  console.log(
    `share of the floor by CPU: base ${((100 * ms("floor")) / ms("base")).toFixed(0)} %, new ${((100 * ms("floor")) / ms("new")).toFixed(0)} %; new ÷ base ${(ms("new") / ms("base")).toFixed(2)}`,
  );
} finally {
  for (const s of servers) {
    s.agent.destroy();
    s.child.kill("SIGTERM");
  }
}
