/** Types of the browser harness (web-harness.mjs). */
import type { Browser, Page } from "playwright-core";

export const ROOT: string;
export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export const OWNER: { name: string; email: string; password: string };

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;
/** A day as YYYY-MM-DD, `offset` days from today. */
export function day(offset?: number): string;

/** A running server on a temporary database. */
export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}
export function startServer(): Promise<RunningServer>;

export function authState(url: string): Promise<{ accounts: boolean; needsSetup: boolean }>;

/** Calls the API; a failure throws with the API's message. */
// biome-ignore lint/suspicious/noExplicitAny: API JSON whose shape each caller states (or reads loosely)
export type Call = <T = any>(method: string, path: string, body?: unknown) => Promise<T>;
export function apiAs(
  url: string,
  who?: { name: string; email: string; password: string },
): Promise<{ call: Call; accounts: boolean }>;

/** Signs up by invitation; calls the API as the new person. */
export function joinAs(
  url: string,
  token: string,
  who: { name: string; email: string; password: string },
): Promise<{ call: Call; userId: number; cookie: string }>;

interface Row {
  id: number;
  [k: string]: unknown;
}
export function seedPlan(call: Call): Promise<{
  objective: Row;
  goal: Row;
  kr: Row;
  steps: Row[];
  barrier: Row;
  stalled: Row;
  playbook: Row;
}>;

export function launchChromium(): Promise<Browser>;
export function enterApp(
  page: Page,
  url: string,
  who?: { name: string; email: string; password: string },
): Promise<void>;
