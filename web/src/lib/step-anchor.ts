/**
 * A step's anchor on its goal's page (issue 19, deep links): every step is `#step-<id>`, the link
 * nudges, emails and calendar events carry (`/goals/<goalId>#step-<stepId>`). When the address
 * names a step, the page scrolls it into view once its data is shown, highlights it and moves focus
 * to it, once per visit (a reload of the page's data does not scroll again).
 */
import { useCallback } from "react";
import { useLocation } from "react-router";

const shown = new Set<string>();

/** The id, class and ref a step's list item carries. */
export function useStepAnchor(stepId: number): {
  id: string;
  targeted: boolean;
  ref: (el: HTMLLIElement | null) => void;
} {
  const { hash, key } = useLocation();
  const id = `step-${stepId}`;
  let named = "";
  try {
    named = decodeURIComponent(hash.slice(1));
  } catch {
    named = "";
  }
  const targeted = named === id;
  const ref = useCallback(
    (el: HTMLLIElement | null) => {
      if (!el || !targeted) return;
      const visit = `${key}${hash}`;
      if (shown.has(visit)) return;
      shown.add(visit);
      const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? true;
      el.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
      el.focus({ preventScroll: true });
    },
    [targeted, key, hash],
  );
  return { id, targeted, ref };
}
