/**
 * Preloaded into a CLI run with `node --import` (through NODE_OPTIONS) by the start-up test: appends
 * the URL of every module the process resolves to the file named by $THROUGHLINE_MODULE_LOG, one
 * per line, so the test can tell which packages a command loaded.
 */
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

// Module hooks run on a thread of their own, which imports this file again: register once.
if (isMainThread) register(import.meta.url);

/** The resolve hook: records where each import led. */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const log = process.env.THROUGHLINE_MODULE_LOG;
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}
