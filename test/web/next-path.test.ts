/**
 * Where sign-in leads (issue 19, deep links): back to the page an email linked to, hash and all,
 * and never to another site, whatever `next` or the address says.
 */
import { describe, expect, it } from "vitest";
import { nextPathOf, safeNextPath } from "../../web/src/lib/next-path.js";

const ORIGIN = "https://plans.example.com";

describe("after signing in", () => {
  it("lands on the linked step, hash kept", () => {
    expect(nextPathOf("/goals/5", "", "#step-12", ORIGIN)).toBe("/goals/5#step-12");
    expect(nextPathOf("/goals/5", "?tab=history", "#step-12", ORIGIN)).toBe("/goals/5?tab=history#step-12");
    expect(nextPathOf("/", "", "", ORIGIN)).toBe("/");
  });

  it("follows a same-site next, and drops an invitation token from the address", () => {
    expect(nextPathOf("/sign-in", "?next=%2Fgoals%2F5%23step-12", "", ORIGIN)).toBe("/goals/5#step-12");
    expect(nextPathOf("/goals/5", "?invite=abc", "#step-1", ORIGIN)).toBe("/goals/5#step-1");
  });

  it("never leads to another site", () => {
    for (const evil of [
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      " //evil.example",
      "",
    ]) {
      expect(safeNextPath(evil, ORIGIN), evil).toBe("/");
      expect(nextPathOf("/sign-in", `?next=${encodeURIComponent(evil)}`, "", ORIGIN), evil).toBe("/");
    }
    expect(safeNextPath(null, ORIGIN)).toBe("/");
  });

  it("does not loop back to the sign-in pages", () => {
    expect(safeNextPath("/sign-in", ORIGIN)).toBe("/");
    expect(safeNextPath("/join/abc", ORIGIN)).toBe("/");
    expect(nextPathOf("/join/abc", "", "", ORIGIN)).toBe("/");
  });
});
