/**
 * The follow-through engine: pure maths for progress, pace, buffer, forecast, stalls, micro-goal
 * mode, small wins, the follow-through rate and obstacle help. No I/O and no clock: the day to
 * compute "as of" is always a parameter. The rules and thresholds are described in docs/engine.md.
 */
export * from "./dates.js";
export * from "./followthrough.js";
export * from "./history.js";
export * from "./micro.js";
export * from "./obstacles.js";
export * from "./pace.js";
export * from "./progress.js";
export * from "./rules.js";
export * from "./stall.js";
export * from "./status.js";
export * from "./wins.js";
