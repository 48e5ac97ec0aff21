/**
 * Preloaded into the server by `bench/nav-probe.mjs` (`node --require bench/nav-probe-server.cjs`):
 * notes, in wall-clock milliseconds, each HTTP request's arrival and the end of its answer, and each
 * GC pause (perf_hooks), and writes them as JSON lines to the file in NAV_PROBE_OUT. Nothing in the
 * server's own code changes; it measures the server's side of each navigation.
 */
const { appendFileSync } = require("node:fs");
const http = require("node:http");
const { PerformanceObserver, performance } = require("node:perf_hooks");

const out = process.env.NAV_PROBE_OUT;
const lines = [];
const flush = () => {
  if (out && lines.length) appendFileSync(out, `${lines.splice(0).join("\n")}\n`);
};
setInterval(flush, 200).unref();
process.on("exit", flush);
process.on("SIGTERM", () => {
  flush();
  process.exit(0);
});

const wall = (t) => performance.timeOrigin + t;

// The event loop's stalls: a 5 ms ticker that notes every gap over 15 ms.
// With the main thread's CPU over the gap (`cpuMs`): near the gap, the loop was busy (our code or
// GC); near 0, the process waited for a core (the machine) or slept.
let tick = performance.now();
let tickCpu = process.cpuUsage();
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  if (now - tick > 15) {
    const used = (cpu.user - tickCpu.user + cpu.system - tickCpu.system) / 1000;
    lines.push(JSON.stringify({ kind: "stall", start: wall(tick), ms: now - tick, cpuMs: used }));
  }
  tick = now;
  tickCpu = cpu;
}, 5).unref();

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  const [req, res] = args;
  if (event === "connection") {
    // req is the socket: when a new TCP connection was taken, and when its first bytes came.
    const socket = req;
    const accepted = wall(performance.now());
    socket.once("data", () =>
      lines.push(
        JSON.stringify({
          kind: "conn",
          start: accepted,
          firstData: wall(performance.now()),
          port: socket.remotePort,
        }),
      ),
    );
  }
  if (event === "request") {
    const start = wall(performance.now());
    const cpu0 = process.cpuUsage();
    res.once("finish", () => {
      const cpu = process.cpuUsage(cpu0);
      lines.push(
        JSON.stringify({
          kind: "req",
          url: req.url,
          port: req.socket.remotePort,
          status: res.statusCode,
          start,
          end: wall(performance.now()),
          // CPU of the whole process while the request was in flight (other requests' too).
          cpuMs: (cpu.user + cpu.system) / 1000,
        }),
      );
    });
  }
  return emit.call(this, event, ...args);
};

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    lines.push(
      JSON.stringify({ kind: "gc", start: wall(e.startTime), ms: e.duration, type: e.detail?.kind }),
    );
  }
}).observe({ entryTypes: ["gc"] });
