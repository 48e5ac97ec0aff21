/**
 * Bundles the compiled CLI (dist/cli, from tsc) into dist/cli-bundle, which bin/throughline.js
 * runs. Node loads ES modules one file at a time, and kysely and zod alone are some 360 files:
 * loaded that way they cost every command about 250 ms on a 2-core machine, more than the whole
 * start-up budget. Bundled, they are a few files. commander and rrule (with its tslib) are bundled
 * too (issue 17): every command loads them, and Node reads a CommonJS package imported from an ES
 * module twice over (its source scanned for export names, then run as CommonJS), which cost `week`
 * more than either package's own code. Other packages stay in node_modules (better-sqlite3 is
 * native; pg and the lazily loaded compromise, chrono-node, csv-parse and ical-generator are loaded
 * from there), and each dynamic import() becomes its own chunk, so what main.ts loads lazily stays
 * lazy.
 *
 *   vite build --config vite.cli.config.ts      (part of `npm run build`)
 */
import { defineConfig, type Plugin } from "vite";

/**
 * commander requires node:child_process at its top, for subcommands that are separate executables,
 * which Throughline has none of; loading it (with net, dgram and their streams) cost every command
 * some 15-20 ms (issue 17, cli20). commander's import of it becomes this stand-in, which loads the
 * real module the first time `spawn` is called.
 */
const LAZY_CHILD_PROCESS = "\0throughline-lazy-child-process";
function lazyChildProcessForCommander(): Plugin {
  return {
    name: "throughline-lazy-child-process",
    enforce: "pre",
    resolveId(source, importer) {
      if (
        (source === "node:child_process" || source === "child_process") &&
        importer?.includes("commander")
      ) {
        return LAZY_CHILD_PROCESS;
      }
      return null;
    },
    load(id) {
      if (id !== LAZY_CHILD_PROCESS) return null;
      return [
        'import { createRequire } from "node:module";',
        "const require = createRequire(import.meta.url);",
        'export default { spawn: (...args) => require("node:child_process").spawn(...args) };',
      ].join("\n");
    },
  };
}

/**
 * better-sqlite3's JavaScript (14 CommonJS files) bundled into the store's chunk (issue 17, cli24):
 * required from node_modules, each file cost Node's loader a resolve, a stat, a read and a compile
 * of its own on every command. store/builtins.js (as tsc built it) requires the package at run
 * time, which rollup cannot see; this gives it the bundled copy instead, used when the addon is
 * where it is built (`betterSqlite3Addon`, passed to it loaded as `nativeBinding`). Otherwise (a
 * debug build of the addon) the package is required from node_modules as before: its `bindings`
 * lookup starts from the file that calls it, which in a bundle would be ours.
 */
function bundledBetterSqlite3(): Plugin {
  const call = 'sqlite ??= require("better-sqlite3");';
  return {
    name: "throughline-bundled-better-sqlite3",
    transform(code, id) {
      if (!/[\\/]dist[\\/]store[\\/]builtins\.js$/.test(id)) return null;
      if (!code.includes(call)) {
        this.error(`store/builtins.js no longer holds \`${call}\`: update vite.cli.config.ts.`);
      }
      const bundled = 'sqlite ??= betterSqlite3Addon() ? BundledBetterSqlite3 : require("better-sqlite3");';
      return {
        code: `import BundledBetterSqlite3 from "better-sqlite3";\n${code.replace(call, bundled)}`,
        map: null,
      };
    },
  };
}

/** core/recurrence.ts (as tsc built it) and rrule: modules whose import alone does nothing. */
function isRecurrenceRules(id: string): boolean {
  return /[\\/]node_modules[\\/]rrule[\\/]/.test(id) || /[\\/]dist[\\/]core[\\/]recurrence\.js$/.test(id);
}

export default defineConfig({
  logLevel: "warn",
  publicDir: false,
  plugins: [lazyChildProcessForCommander(), bundledBetterSqlite3()],
  build: {
    ssr: "dist/cli/bin.js",
    outDir: "dist/cli-bundle",
    emptyOutDir: true,
    target: "node20",
    // A bug report's stack trace still names real functions: esbuild only drops comments and
    // whitespace (see `esbuild` below).
    minify: "esbuild",
    // better-sqlite3's lookup of its addon through `bindings` (unused: the addon is passed to it,
    // see bundledBetterSqlite3) stays a require where it is, not one run when the chunk loads.
    commonjsOptions: { include: [/node_modules/], ignore: ["bindings"] },
    rollupOptions: {
      // CommonJS, which bin/throughline.js loads with `require` (issue 17, cli21): Node's ES module
      // loader cost `week` about a seventh of its CPU time beyond the code's own (resolving each
      // file's URL, reading it asynchronously, linking), where `require` reads and runs a file at
      // once. The packages loaded from node_modules are required too (each has a CommonJS build);
      // `interop: "auto"` reads their default export whichever way each was written.
      output: {
        format: "cjs",
        interop: "auto",
        entryFileNames: "throughline.cjs",
        chunkFileNames: "chunks/[name]-[hash].cjs",
      },
      // The recurrence rules (core/recurrence.ts and rrule, some 83 KB) load only where a step
      // repeats (issue 17, cli21). Their top-level code only fills their own tables, so an import
      // whose names go unused is dropped: without this, `week` loaded them anyway, through
      // core/engine/index.ts re-exporting the follow-through engine that evaluate.ts imports.
      treeshake: { moduleSideEffects: (id) => !isRecurrenceRules(id) },
      onwarn(warning, warn) {
        // zod's /*#__PURE__*/ comments in places rollup ignores; nothing to act on.
        if (warning.code === "INVALID_ANNOTATION") return;
        // src/core/recurrence.ts takes rrule's default export when Node's loader gives one; the
        // bundled ES build has named exports only, which that code reads instead.
        if (warning.code === "MISSING_EXPORT" && warning.message.includes("rrule")) return;
        warn(warning);
      },
    },
  },
  // Names and syntax kept; comments and whitespace dropped, so a chunk is few long lines (cli20,
  // issue 17). kysely's documentation
  // comments were most of the bundle's bytes, and some hold characters outside ASCII, which make
  // V8 read a whole file as two-byte text: every run decoded and scanned them.
  esbuild: { minifyIdentifiers: false, minifySyntax: false, minifyWhitespace: true, legalComments: "none" },
  ssr: { target: "node", noExternal: ["kysely", "zod", "commander", "rrule", "tslib", "better-sqlite3"] },
});
