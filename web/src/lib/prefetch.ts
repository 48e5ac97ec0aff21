/**
 * Page data requested as navigation starts, in parallel with the page's code (each page is its own
 * chunk), not after its first render (issue 15): the router calls `prefetchFor(pathname)` when the
 * location changes, and the page `take`s the request already on its way instead of starting one.
 * A request is taken once; a later load (a reload after a change) asks again. The first page's
 * request starts even before the session is known (main.tsx).
 */
import { matchPath } from "react-router";
import { api, type GoalPageData, goalPageApi, type Session } from "../api/client.js";

/** A request nobody took is used only this soon after it was asked for (never an old answer). */
const FRESH_MS = 10_000;

/** A request on its way; `done` once it answered (issue 17: the first render may use it at once). */
interface Pending {
  p: Promise<unknown>;
  at: number;
  done?: { value: unknown };
}

const pending = new Map<string, Pending>();
let lastPath: string | null = null;
/** The request for the page now being opened (not the session), until it settles. */
let pageRequest: Promise<unknown> | null = null;

/** Starts a request under `key` unless a fresh one is already waiting to be taken; returns it. */
function preload<T>(key: string, start: () => Promise<T>): Promise<unknown> {
  const waiting = pending.get(key);
  if (waiting && Date.now() - waiting.at < FRESH_MS) return waiting.p;
  const p = start();
  // A request nobody takes must not be an unhandled rejection; the page that takes it sees the
  // error. A failed one is forgotten, so a page opened later (after signing in) asks again.
  const entry: Pending = { p, at: Date.now() };
  p.then(
    (value) => {
      entry.done = { value };
    },
    () => {
      if (pending.get(key)?.p === p) pending.delete(key);
    },
  );
  pending.set(key, entry);
  return p;
}

/**
 * The answer of the fresh request under `key` if it has already arrived, else undefined; left in
 * place, because a render may be thrown away (a part of the page still loading its code) and run
 * again. The page forgets it (`forget`) once it is on screen, so a later visit asks again.
 */
function answered<T>(key: string): { data: T; forget: () => void } | undefined {
  const waiting = pending.get(key);
  if (!waiting?.done || Date.now() - waiting.at >= FRESH_MS) return undefined;
  const forget = () => {
    if (pending.get(key) === waiting) pending.delete(key);
  };
  return { data: waiting.done.value as T, forget };
}

/** The fresh request started for `key`, taken (so the next load asks again), or a new one. */
function take<T>(key: string, start: () => Promise<T>): Promise<T> {
  const waiting = pending.get(key);
  pending.delete(key);
  return waiting && Date.now() - waiting.at < FRESH_MS ? (waiting.p as Promise<T>) : start();
}

/**
 * Who is signed in (issue 17): every page asks first, and the app shows nothing until it knows, so
 * the question starts with the app's script (main.tsx) — and before, from the HTML's `Link:
 * rel=preload` (src/server/web.ts) — instead of after React's first render. The session's first
 * check takes it; a later check (after signing in or out) asks again.
 */
const sessionRequest = (): ReturnType<typeof api.auth.session> => api.auth.session();

/** Starts the session check unless a fresh one is already on its way. */
export function prefetchSession(): void {
  preload("session", sessionRequest);
}

/** The session: the check already on its way if a fresh one is (taken once), else a new one. */
export function sessionData(): ReturnType<typeof api.auth.session> {
  return take("session", sessionRequest);
}

let firstSession: { value: Session | undefined } | null = null;

/**
 * The session if its first check has already answered by the app's first render (then the app
 * starts signed in, without a loading state), else undefined. Decided once (the first render).
 */
export function answeredSession(): Session | undefined {
  if (!firstSession) {
    const session = answered<Session>("session");
    session?.forget();
    firstSession = { value: session?.data };
  }
  return firstSession.value;
}

/**
 * Resolves when the first page's answers are here — who is signed in and the page's data — or
 * after `ms`, whichever is first (issue 17): main.tsx renders the app then, so a warm navigation
 * renders the page once, with its data, instead of a loading state first.
 */
export function firstAnswers(ms: number): Promise<void> {
  const answers = [pending.get("session")?.p, pageRequest].map((p) => p?.catch(() => undefined));
  return Promise.race([
    Promise.all(answers).then(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ]);
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
  pageRequest = null;
  if (pathname === "/") {
    pageRequest = preload("week", weekRequest);
    return;
  }
  const goal = matchPath("/goals/:id", pathname);
  const id = Number(goal?.params.id);
  if (goal && Number.isInteger(id) && id > 0) pageRequest = preload(`goal:${id}`, () => goalPageApi.page(id));
}

/**
 * Resolves once the data of the page being opened has arrived (or failed), at once for a page
 * without a prefetch (issue 17): what the frame asks on every page (the unread count) waits, so the
 * server answers the page's own request first.
 */
export function pageDataSettled(): Promise<void> {
  const p = pageRequest;
  return p
    ? p.then(
        () => undefined,
        () => undefined,
      )
    : Promise.resolve();
}

/** My week's data: the prefetched request if a fresh one is on its way (taken once), else a new one. */
export function weekData(): ReturnType<typeof api.week> {
  return take("week", weekRequest);
}

/** My week's data if the prefetched request has already answered, else undefined (see `answered`). */
export function answeredWeek():
  | { data: Awaited<ReturnType<typeof api.week>>; forget: () => void }
  | undefined {
  return answered("week");
}

/** The goal page's data if the prefetched request has already answered, else undefined (see `answered`). */
export function answeredGoalPage(id: number): { data: GoalPageData; forget: () => void } | undefined {
  return answered(`goal:${id}`);
}

/** The goal page's data: the prefetched request if a fresh one is on its way (taken once), else a new one. */
export function goalPageData(id: number): Promise<GoalPageData> {
  return take(`goal:${id}`, () => goalPageApi.page(id));
}
