/**
 * The web navigation benchmarks' data (bench/web-nav.mjs and bench/nav-probe.mjs measure the same
 * pages): 20 active goals, each with a key result and a step due today, the first with 100
 * check-ins. `call(method, path, body)` is a signed-in API call (web-harness.mjs's `apiAs`).
 */
import { day } from "../test/e2e/web-harness.mjs";

export async function seed(call) {
  const titles = [];
  let big = null;
  for (let i = 1; i <= 20; i++) {
    const title = `Goal ${String(i).padStart(2, "0")}: ship the ${["report", "course", "garden", "budget"][i % 4]} part ${i}`;
    const goal = await call("POST", "/goals", {
      title,
      why: "Measured by the navigation benchmark.",
      startDate: day(-110),
      dueDate: day(60),
    });
    const kr = await call("POST", `/goals/${goal.id}/key-results`, {
      title: "Parts done",
      unit: "parts",
      startValue: 0,
      targetValue: 100,
    });
    await call("POST", `/goals/${goal.id}/steps`, {
      text: `Write part ${i} of the outline`,
      // Due today: My week shows this week's steps, and on a Sunday tomorrow is next week's.
      dueDate: day(0),
    });
    titles.push(title);
    if (i === 1) big = { goal, kr };
  }
  for (let d = 100; d >= 1; d--) {
    await call("POST", `/goals/${big.goal.id}/checkins`, {
      date: day(-d),
      krValues: [{ keyResultId: big.kr.id, value: 100 - d }],
      confidence: d % 3 === 0 ? "at-risk" : "on-track",
      doneText: `Finished part ${100 - d}`,
    });
  }
  return { titles, bigId: big.goal.id, bigTitle: titles[0] };
}
