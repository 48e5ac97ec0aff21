/**
 * Data requested when a route starts loading, not after its page's code has arrived and rendered
 * (issue 15): the route's element starts the request while React fetches the page's chunk, and
 * the page takes that request instead of making its own. A request is taken once; a later load
 * (a reload after a change) asks again.
 */
import { api } from "../api/client.js";

/** How long a request nobody took stays usable: past that, the page asks again (fresher data). */
const FRESH_MS = 10_000;

const pending = new Map<string, { p: Promise<unknown>; at: number }>();

/** Starts a request under `key` unless a fresh one is already waiting to be taken. */
export function preload<T>(key: string, start: () => Promise<T>): void {
  const waiting = pending.get(key);
  if (waiting && Date.now() - waiting.at < FRESH_MS) return;
  const p = start();
  // A request nobody takes must not be an unhandled rejection; the page that takes it sees the error.
  p.catch(() => {});
  pending.set(key, { p, at: Date.now() });
}

/** The fresh request started for `key`, taken (so the next load asks again), or a new one. */
export function take<T>(key: string, start: () => Promise<T>): Promise<T> {
  const waiting = pending.get(key);
  pending.delete(key);
  return waiting && Date.now() - waiting.at < FRESH_MS ? (waiting.p as Promise<T>) : start();
}

/** My week's one request (GET /api/week: steps, goals with their status, wins, delegations, names). */
export const weekRequest = (): ReturnType<typeof api.week> => api.week();

/** Starts My week's request; called by the route before the page's code has loaded. */
export function preloadWeek(): void {
  preload("week", weekRequest);
}
