import { describe, expect, it } from "vitest";
import { progressBar } from "./progress.js";

function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, columns: 80, write: (t: string) => out.push(t) } };
}

describe("the progress bar", () => {
  it("redraws in place on a terminal, throttled, and ends with a newline", () => {
    const { out, s } = stream(true);
    let t = 0;
    const bar = progressBar("Importing", { stream: s, now: () => t });
    bar.update(0, 1000);
    t = 50;
    bar.update(500, 1000);
    t = 200;
    bar.update(500, 1000);
    bar.update(1000, 1000);
    bar.finish();
    bar.finish();
    expect(out.length).toBe(4);
    expect(out[0]).toMatch(/^\rImporting \[-+\] 0% 0\/1,000$/);
    expect(out[1]).toMatch(/^\rImporting \[#+-+\] 50% 500\/1,000$/);
    expect(out[2]).toMatch(/^\rImporting \[#+\] 100% 1,000\/1,000$/);
    expect(out[3]).toBe("\n");
  });

  it("writes a line per quarter off a terminal, and nothing for 300 items or fewer", () => {
    const { out, s } = stream(false);
    const bar = progressBar("Importing", { stream: s });
    for (let done = 0; done <= 1000; done += 100) bar.update(done, 1000);
    bar.finish();
    expect(out).toEqual([
      "Importing: 30% 300/1,000\n",
      "Importing: 50% 500/1,000\n",
      "Importing: 80% 800/1,000\n",
      "Importing: 100% 1,000/1,000\n",
    ]);
    const quiet = stream(false);
    const small = progressBar("Importing", { stream: quiet.s });
    small.update(300, 300);
    const off = progressBar("Importing", { stream: quiet.s, enabled: false });
    off.update(5000, 5000);
    expect(quiet.out).toEqual([]);
  });
});
