#!/usr/bin/env node
// Runs the bundled CLI (dist/cli-bundle, made by `npm run build`; see vite.cli.config.ts), which
// starts in half the time of the file-by-file build in dist/cli. That build is used instead when
// the bundle is missing or older than it, as after a bare `tsc -p tsconfig.build.json`.
import { statSync } from "node:fs";

const modified = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = modified("../dist/cli-bundle/throughline.js");
const useBundle = bundle !== -1 && bundle >= modified("../dist/cli/bin.js");
await import(useBundle ? "../dist/cli-bundle/throughline.js" : "../dist/cli/bin.js");
