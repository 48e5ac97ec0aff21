/**
 * Page data requested as navigation starts, in parallel with the page's code (each page is its own
 * chunk), not after its first render (issue 15): the router calls `prefetchFor(pathname)` when the
 * location changes, and the page `take`s the request already on its way instead of starting one.
 * A request is taken once; a later load (a reload after a change) asks again. The first page's
 * request starts even before the session is known (main.tsx).
 */
import { matchPath } from "react-router";
import { api, type GoalPageData, goalPageApi } from "../api/client.js";

/** A request nobody took is used only this soon after it was asked for (never an old answer). */
const FRESH_MS = 10_000;

const pending = new Map<string, { p: Promise<unknown>; at: number }>();
let lastPath: string | null = null;

/** Starts a request under `key` unless a fresh one is already waiting to be taken. */
function preload<T>(key: string, start: () => Promise<T>): void {
  const waiting = pending.get(key);
  if (waiting && Date.now() - waiting.at < FRESH_MS) return;
  const p = start();
  // A request nobody takes must not be an unhandled rejection; the page that takes it sees the
  // error. A failed one is forgotten, so a page opened later (after signing in) asks again.
  p.catch(() => {
    if (pending.get(key)?.p === p) pending.delete(key);
  });
  pending.set(key, { p, at: Date.now() });
}

/** The fresh request started for `key`, taken (so the next load asks again), or a new one. */
function take<T>(key: string, start: () => Promise<T>): Promise<T> {
  const waiting = pending.get(key);
  pending.delete(key);
  return waiting && Date.now() - waiting.at < FRESH_MS ? (waiting.p as Promise<T>) : start();
}

/** My week's one request (GET /api/week: steps, goals with their status, wins, delegations, names). */
const weekRequest = (): ReturnType<typeof api.week> => api.week();

/**
 * Starts the request for the page at `pathname`, once per navigation, when it is a page with a
 * prefetch. Called while the router renders, so it must be cheap and idempotent.
 */
export function prefetchFor(pathname: string): void {
  if (pathname === lastPath) return;
  lastPath = pathname;
  if (pathname === "/") {
    preload("week", weekRequest);
    return;
  }
  const goal = matchPath("/goals/:id", pathname);
  const id = Number(goal?.params.id);
  if (goal && Number.isInteger(id) && id > 0) preload(`goal:${id}`, () => goalPageApi.page(id));
}

/** My week's data: the prefetched request if a fresh one is on its way (taken once), else a new one. */
export function weekData(): ReturnType<typeof api.week> {
  return take("week", weekRequest);
}

/** The goal page's data: the prefetched request if a fresh one is on its way (taken once), else a new one. */
export function goalPageData(id: number): Promise<GoalPageData> {
  return take(`goal:${id}`, () => goalPageApi.page(id));
}
