/**
 * Preloaded into a CLI run with `node --import` (through NODE_OPTIONS) by the start-up test: appends
 * the URL of every module the process resolves to the file named by $THROUGHLINE_MODULE_LOG, one
 * per line, so the test can tell which packages a command loaded. Both loaders are watched: the ES
 * module loader through a resolve hook, and `require` (the CLI bundle is CommonJS, and loads
 * better-sqlite3 and the lazily loaded packages with it) through its filename resolution.
 */
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";

/** Appends one resolved module to the log. */
function record(url) {
  const log = process.env.THROUGHLINE_MODULE_LOG;
  if (log) appendFileSync(log, `${url}\n`);
}

// Module hooks run on a thread of their own, which imports this file again: register once.
if (isMainThread) {
  register(import.meta.url);
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (...args) {
    const file = resolveFilename.apply(this, args);
    record(isAbsolute(file) ? pathToFileURL(file).href : file.startsWith("node:") ? file : `node:${file}`);
    return file;
  };
}

/** The resolve hook: records where each import led. */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  record(result.url);
  return result;
}
