/**
 * Preloaded into a CLI run with `node --require` (through NODE_OPTIONS) by the start-up test:
 * when the process exits, writes to $THROUGHLINE_BUILTINS_LOG the Node built-ins it loaded (from
 * `process.moduleLoadList`, which lists those loaded with `require` too, unlike a resolve hook)
 * and whether an Intl formatter was made, one per line.
 */
const { writeFileSync } = require("node:fs");

let intl = false;
for (const name of ["DateTimeFormat", "NumberFormat"]) {
  const Original = Intl[name];
  Intl[name] = new Proxy(Original, {
    apply(target, self, args) {
      intl = true;
      return Reflect.apply(target, self, args);
    },
    construct(target, args) {
      intl = true;
      return Reflect.construct(target, args);
    },
  });
}

process.on("exit", () => {
  const log = process.env.THROUGHLINE_BUILTINS_LOG;
  if (!log) return;
  const lines = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13));
  if (intl) lines.push("Intl");
  writeFileSync(log, `${lines.join("\n")}\n`);
});
