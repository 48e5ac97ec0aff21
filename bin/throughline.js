#!/usr/bin/env node
// Runs the bundled CLI (dist/cli-bundle, made by `npm run build`; see vite.cli.config.ts), which
// starts in half the time of the file-by-file build in dist/cli. That build is used instead when
// the bundle is missing or older than it, as after a bare `tsc -p tsconfig.build.json`. The bundle
// is CommonJS, loaded with `require`: Node's ES module loader cost a seventh of `week`'s CPU time
// (issue 17, cli21).
import { statSync } from "node:fs";
import { createRequire } from "node:module";

const modified = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = modified("../dist/cli-bundle/throughline.cjs");
if (bundle !== -1 && bundle >= modified("../dist/cli/bin.js")) {
  createRequire(import.meta.url)("../dist/cli-bundle/throughline.cjs");
} else {
  await import("../dist/cli/bin.js");
}
