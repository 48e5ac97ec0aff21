import { describe, expect, it } from "vitest";
import { buildBarrier, buildResource } from "./factories.js";
import { obstacleHelp } from "./obstacles.js";

describe("obstacleHelp", () => {
  const approval = buildBarrier({ id: 3, obstacle: "Approval slips" });
  const sick = buildBarrier({
    id: 4,
    obstacle: "I get sick",
    planB: "If I am ill, then Lee sends the issue",
  });
  const resources = [
    buildResource({ name: "Dana", ask: "Sign as deputy" }),
    buildResource({ name: "Lee", ask: null }),
    buildResource({ kind: "tool", name: "Mailchimp", ask: null }),
    buildResource({ goalId: 2, name: "Kim", ask: "Review" }),
  ];

  it("brings back the Plan B of each barrier hit with the people to ask", () => {
    expect(obstacleHelp([3], [approval, sick], resources)).toEqual([
      {
        barrierId: 3,
        obstacle: "Approval slips",
        planB: "If the approval slips past Friday, then I ask Dana to sign as deputy",
        askPeople: [
          { name: "Dana", ask: "Sign as deputy" },
          { name: "Lee", ask: null },
        ],
      },
    ]);
  });

  it("keeps the reported order and skips unknown and repeated ids", () => {
    expect(obstacleHelp([4, 99, 3, 4], [approval, sick], resources).map((h) => h.barrierId)).toEqual([4, 3]);
  });
});
