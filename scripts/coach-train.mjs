/**
 * Runs test/coach/learn-main.ts (the coach's learned reading: training and the leave-one-set-out
 * study), bundled with esbuild, packages left external. Arguments are passed on.
 *
 *   npm run coach:train                      # writes src/core/coach/learned-weights.ts
 *   npm run coach:train -- --study 0,0.2 0   # leave-one-set-out tables for those margins
 */

import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
// Beside evaluate.ts, whose data paths are relative to the module, and under the repository, whose
// packages it imports.
const out = join(root, "test/coach", `.learn-main-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [join(root, "test/coach/learn-main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: out,
    logLevel: "warning",
  });
  execFileSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
} finally {
  rmSync(out, { force: true });
}
