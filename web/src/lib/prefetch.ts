/**
 * Page data requested as navigation starts, in parallel with the page's code (each page is its own
 * chunk): the router calls `prefetchFor(pathname)` when the location changes, and the page takes
 * the request already on its way instead of starting one after its first render.
 */
import { matchPath } from "react-router";
import { type GoalPageData, goalPageApi } from "../api/client.js";

/** A prefetched answer is used only this soon after it was asked for (never an old one). */
const FRESH_MS = 10_000;

const goalPages = new Map<number, { p: Promise<GoalPageData>; at: number }>();
let lastPath: string | null = null;

/**
 * Starts the request for the page at `pathname`, once per navigation, when it is a page with a
 * prefetch. Called while the router renders, so it must be cheap and idempotent.
 */
export function prefetchFor(pathname: string): void {
  if (pathname === lastPath) return;
  lastPath = pathname;
  const goal = matchPath("/goals/:id", pathname);
  const id = Number(goal?.params.id);
  if (goal && Number.isInteger(id) && id > 0) {
    const p = goalPageApi.page(id);
    // A failure is the page's to show; here it must not be an unhandled rejection.
    p.catch(() => {});
    goalPages.set(id, { p, at: Date.now() });
  }
}

/** The goal page's data: the prefetched request if a fresh one is on its way (taken once), else a new one. */
export function goalPageData(id: number): Promise<GoalPageData> {
  const hit = goalPages.get(id);
  goalPages.delete(id);
  return hit && Date.now() - hit.at < FRESH_MS ? hit.p : goalPageApi.page(id);
}
