#!/usr/bin/env node
// Runs the bundled CLI (dist/cli-bundle, made by `npm run build`; see vite.cli.config.ts), which
// starts in half the time of the file-by-file build in dist/cli. That build is used instead when
// the bundle is missing or older than it, as after a bare `tsc -p tsconfig.build.json`. The bundle
// is CommonJS, loaded with `require`: Node's ES module loader cost a seventh of `week`'s CPU time
// (issue 17, cli21). This file is CommonJS too (bin/package.json): an ES module entry starts that
// loader before any of our code runs, about 10 ms of every command's CPU (issue 17, cli26).
"use strict";
const { statSync } = require("node:fs");
const { join } = require("node:path");

const modified = (path) => statSync(join(__dirname, path), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = modified("../dist/cli-bundle/throughline.cjs");
if (bundle !== -1 && bundle >= modified("../dist/cli/bin.js")) {
  require("../dist/cli-bundle/throughline.cjs");
} else {
  import("../dist/cli/bin.js");
}
