/**
 * Bundles the compiled CLI (dist/cli, from tsc) into dist/cli-bundle, which bin/throughline.js
 * runs. Node loads ES modules one file at a time, and kysely and zod alone are some 360 files:
 * loaded that way they cost every command about 250 ms on a 2-core machine, more than the whole
 * start-up budget. Bundled, they are a few files. Other packages stay in node_modules (better-sqlite3
 * is native; pg, commander and the lazily loaded compromise, chrono-node, csv-parse and
 * ical-generator are loaded from there), and each dynamic import() becomes its own chunk, so what
 * main.ts loads lazily stays lazy.
 *
 *   vite build --config vite.cli.config.ts      (part of `npm run build`)
 */
import { defineConfig } from "vite";

export default defineConfig({
  logLevel: "warn",
  publicDir: false,
  build: {
    ssr: "dist/cli/bin.js",
    outDir: "dist/cli-bundle",
    emptyOutDir: true,
    target: "node20",
    // Readable output: a bug report's stack trace names real functions.
    minify: false,
    rollupOptions: {
      output: { entryFileNames: "throughline.js", chunkFileNames: "chunks/[name]-[hash].js" },
      onwarn(warning, warn) {
        // zod's /*#__PURE__*/ comments in places rollup ignores; nothing to act on.
        if (warning.code === "INVALID_ANNOTATION") return;
        warn(warning);
      },
    },
  },
  ssr: { target: "node", noExternal: ["kysely", "zod"] },
});
