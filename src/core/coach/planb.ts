/**
 * A Plan B read as an implementation intention: a cue (when it starts) and a response (what the
 * person then does) — "If legal hasn't replied by Friday, then I ask Dana to sign". A Plan B with
 * no cue ("ask Dana") or no response ("if legal is late") gets a finding with a rewrite built
 * from the obstacle and the words already written.
 */

import { type Finding, finding, quote } from "./findings.js";
import { judgeStep } from "./step.js";
import { prepare } from "./text.js";

/** Words that open a cue: the situation that starts the Plan B. */
const CUE = `(?:if|when|whenever|once|as soon as|in case|the moment|should|unless|the day)`;
const CUE_FIRST = new RegExp(String.raw`^(?:plan\s*b\s*[:\-–—]\s*)?${CUE}\b`, "i");
const CUE_LATER = new RegExp(String.raw`\s(?:,\s*)?${CUE}\b`, "i");
/** Where the response starts after a leading cue: "then", or the first comma or dash. */
const RESPONSE_START = /\bthen\b|[,;:–—]|\s-\s/i;

/** The cue and response of a Plan B, as written (either may be empty). */
export function splitPlanB(text: string): { cue: string; response: string } {
  const t = text.trim();
  if (CUE_FIRST.test(t)) {
    const rest = t.replace(/^plan\s*b\s*[:\-–—]\s*/i, "");
    const at = RESPONSE_START.exec(rest);
    if (!at) return { cue: rest, response: "" };
    const response = rest
      .slice(at.index + at[0].length)
      .replace(/^\s*(?:then\b)?\s*/i, "")
      .trim();
    return { cue: rest.slice(0, at.index).trim(), response };
  }
  const later = CUE_LATER.exec(t);
  if (later && later.index > 0)
    return { cue: t.slice(later.index).trim(), response: t.slice(0, later.index).trim() };
  return { cue: "", response: t };
}

/** True when the words say something a person does (not a result, not nothing). */
function isAction(words: string): boolean {
  // "then I ask Dana": the person acting is the one who wrote it; judge the action itself.
  const prepared = prepare(words.replace(/[.!]+$/, "").replace(/^(?:i|we)\s+(?!will\b|'ll\b)/i, ""));
  if (prepared.status !== "ok") return false;
  return judgeStep(prepared.text).kind === "action";
}

/** The obstacle as the cue of an if-then: "Legal review slips." → "legal review slips". */
function asCue(obstacle: string | undefined): string {
  const o = (obstacle ?? "").trim().replace(/[.!]+$/, "");
  if (!o) return "<the obstacle happens, by when>";
  return /^[A-Z][a-z]/.test(o) ? o[0].toLowerCase() + o.slice(1) : o;
}

/** The response as the "then" part: "Ask Dana to sign" → "I ask Dana to sign". */
function asResponse(response: string): string {
  const r = response.trim().replace(/[.!]+$/, "");
  if (/^(?:i|we)\b/i.test(r)) return r;
  return `I ${/^[A-Z][a-z]/.test(r) ? r[0].toLowerCase() + r.slice(1) : r}`;
}

/**
 * Findings on one Plan B: `plan-b-no-cue` when it says what to do but not when, and
 * `plan-b-no-response` when it says when but no action to take then. Empty text is no Plan B at
 * all (the goal's `no-plan-b` covers it), so it gets nothing here.
 */
export function lintPlanB(planB: string, obstacle?: string): Finding[] {
  if (typeof planB !== "string" || planB.trim() === "") return [];
  const prepared = prepare(planB);
  if (prepared.status !== "ok") return [];
  const { cue, response } = splitPlanB(prepared.text);
  if (cue === "") {
    return [
      finding(
        "plan-b-no-cue",
        `${quote(prepared.text)}|If ${asCue(obstacle)}, then ${asResponse(prepared.text)}.`,
      ),
    ];
  }
  if (!isAction(response)) {
    return [finding("plan-b-no-response", `${quote(prepared.text)}|${cue}, then I <one thing you will do>.`)];
  }
  return [];
}
