/**
 * A probe preloaded into a server under load (issue 17, tail22): what stopped its event loop, with
 * wall-clock times a load generator's slow requests can be matched against.
 *
 *   TAIL_PROBE_OUT=/tmp/probe.json node --require ./bench/tail-probe.cjs [flags] dist/server/main.js
 *
 * Records V8's garbage collections (perf_hooks 'gc' entries: start, duration, kind), the event
 * loop's delay (monitorEventLoopDelay, 1 ms resolution) and, when the process starts SQLite's
 * checkpoint worker (src/store/checkpointer.ts), each checkpoint's start, duration and pages (the
 * worker's code is wrapped; nothing else about it changes). On SIGUSR2 it writes what it has
 * recorded since the last SIGUSR2 to TAIL_PROBE_OUT and starts over. Times are milliseconds since
 * the epoch (performance.timeOrigin + now), comparable across processes on one machine. Each HTTP
 * request's time inside the server (headers parsed → answer written, `http.createServer` wrapped)
 * tells the server's own tail from the time a request waited in the socket or the load generator.
 * Measurement only: no product code loads it.
 */
const { PerformanceObserver, monitorEventLoopDelay, performance } = require("node:perf_hooks");
const { writeFileSync } = require("node:fs");
const workerThreads = require("node:worker_threads");
const http = require("node:http");

const { isMainThread } = workerThreads;
const out = process.env.TAIL_PROBE_OUT;
const origin = performance.timeOrigin;
let gcs = [];
let checkpoints = [];
/** Each request's time inside the server: from its headers parsed to its answer's last byte written. */
let served = [];
/** SQLite statements (and better-sqlite3 transactions) that ran ≥ 2 ms on the main thread: [start, ms, sql]. */
let slowSql = [];
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

if (isMainThread) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push([origin + e.startTime, e.duration, e.detail ? e.detail.kind : e.kind]);
  }).observe({ entryTypes: ["gc"] });

  const Original = workerThreads.Worker;
  workerThreads.Worker = class extends Original {
    constructor(code, options) {
      const wrap =
        options?.eval && typeof code === "string" && code.includes('db.pragma("wal_checkpoint(PASSIVE)")');
      super(
        wrap
          ? code.replace(
              'db.pragma("wal_checkpoint(PASSIVE)");',
              `const t0 = performance.timeOrigin + performance.now();
    const r = db.pragma("wal_checkpoint(PASSIVE)")[0];
    parentPort.postMessage({ probe: [t0, performance.timeOrigin + performance.now() - t0, r.log, r.checkpointed] });`,
            )
          : code,
        options,
      );
      if (wrap)
        this.on("message", (m) => {
          if (m?.probe) checkpoints.push(m.probe);
        });
    }
  };

  const createServer = http.createServer;
  http.createServer = (...args) => {
    const i = args.findIndex((a) => typeof a === "function");
    if (i >= 0) {
      const listener = args[i];
      args[i] = function (req, res) {
        const t0 = performance.now();
        res.once("finish", () => served.push(performance.now() - t0));
        return listener.call(this, req, res);
      };
    }
    return createServer(...args);
  };
  // ES modules (`import { createServer } from "http"` in @hono/node-server) see the patched functions.
  require("node:module").syncBuiltinESMExports();

  // better-sqlite3, when the process loads it: time every statement's run and every transaction.
  const timed = (fn, what) =>
    function (...a) {
      const t0 = performance.now();
      try {
        return fn.apply(this, a);
      } finally {
        const d = performance.now() - t0;
        if (d >= 2) slowSql.push([origin + t0, d, what(this)]);
      }
    };
  // Loaded here from the server's own folder (the module cache then hands the server this copy).
  try {
    const m = require(
      require.resolve("better-sqlite3", { paths: [require("node:path").dirname(process.argv[1])] }),
    );
    const prepare = m.prototype.prepare;
    let patched = false;
    m.prototype.prepare = function (...a) {
      const st = prepare.apply(this, a);
      if (!patched) {
        patched = true;
        const P = Object.getPrototypeOf(st);
        for (const k of ["run", "get", "all"]) P[k] = timed(P[k], (t) => t.source.slice(0, 60));
      }
      return st;
    };
    const transaction = m.prototype.transaction;
    m.prototype.transaction = function (f) {
      return timed(transaction.call(this, f), () => "transaction");
    };
  } catch {
    // No better-sqlite3 beside the script: nothing to time.
  }

  process.on("SIGUSR2", () => {
    const h = delay;
    writeFileSync(
      out ?? `/tmp/tail-probe-${process.pid}.json`,
      JSON.stringify({
        gcs,
        checkpoints,
        served,
        slowSql,
        loopDelay: {
          p50: h.percentile(50) / 1e6,
          p99: h.percentile(99) / 1e6,
          max: h.max / 1e6,
          mean: h.mean / 1e6,
        },
        rssMb: process.memoryUsage().rss / 1048576,
      }),
    );
    gcs = [];
    checkpoints = [];
    served = [];
    slowSql = [];
    h.reset();
  });
}
