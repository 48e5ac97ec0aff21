/**
 * Migration 0026: a step's key result round-trips on both databases, and a deleted key result
 * row leaves its steps in place, unlinked.
 */
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal, NOW } from "../../../test/helpers/factories.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { createGoal } from "../../app/plans/goals.js";
import * as plans from "../repos/plans.js";

describe.each(DIALECTS)("migration 0026 (a step's key result) on %s", (d) => {
  const db = suiteStore(d);
  const { skip } = db;

  it.skipIf(skip)(
    "stores, reads and clears a step's key result; a deleted key result keeps the step",
    async () => {
      const s = db.store.db;
      const { ctx, actor } = await actorFor(db.store);
      const goal = await createGoal(ctx, actor, buildGoal());
      const kr = await plans.insertKeyResult(s, {
        goalId: goal.id,
        title: "Subscribers",
        unit: null,
        startValue: 1200,
        targetValue: 2000,
        currentValue: 1200,
        direction: "increase",
        dueDate: null,
        createdAt: NOW,
        updatedAt: NOW,
        retiredAt: null,
      });
      const step = await plans.insertStep(s, {
        goalId: goal.id,
        text: "Email Raj the deck",
        ownerId: null,
        dueDate: null,
        status: "todo",
        position: 1,
        estimateMinutes: null,
        doneAt: null,
        delegatedBy: null,
        doneLooksLike: null,
        delegationState: null,
        createdAt: NOW,
        updatedAt: NOW,
        keyResultId: kr.id,
      });
      expect(step.keyResultId).toBe(kr.id);
      expect((await plans.findStep(s, step.id))?.keyResultId).toBe(kr.id);
      expect((await plans.stepsOfKeyResult(s, kr.id)).map((x) => x.id)).toEqual([step.id]);
      expect((await plans.updateStepRow(s, step.id, { keyResultId: null })).keyResultId).toBeNull();
      await plans.updateStepRow(s, step.id, { keyResultId: kr.id });
      await s.deleteFrom("keyResults").where("id", "=", kr.id).execute();
      const kept = await plans.findStep(s, step.id);
      expect(kept?.text).toBe("Email Raj the deck");
      expect(kept?.keyResultId).toBeNull();
    },
  );
});
