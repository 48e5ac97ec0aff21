/** Entry point of the `throughline` binary. */
import { run } from "./main.js";

let finished = false;
// A command whose work never settles (a bug) would otherwise end silently with exit code 0.
process.on("beforeExit", () => {
  if (!finished) {
    process.stderr.write("throughline: the command stopped before finishing; nothing more was written.\n");
    process.exitCode = 1;
    finished = true;
  }
});

run(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (e: unknown) => {
    finished = true;
    process.stderr.write(`throughline: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
