/**
 * The password policy: a password must be hard to guess, as zxcvbn scores it against common
 * passwords, English words and names, keyboard patterns, repeats, dates, and what the person
 * told us about themselves. Every place a password is set (sign-up, accepting an invitation,
 * changing or resetting it) asks {@link passwordProblem} and refuses with its sentence.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** zxcvbn's score (0 to 4) a password needs: 3 is "safely unguessable" for an online attack. */
export const MIN_SCORE = 3;

// The dictionaries are large: built on first use, once per process.
let scorer: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  scorer ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return scorer;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/**
 * Why a password is too easy to guess, as a sentence to show the person, or null when it is strong
 * enough. `related` are things about them (email, name) that the password must not lean on.
 */
export function passwordProblem(password: string, related: string[]): string | null {
  // Everything someone types in the sign-up form, and its parts (the address's name and domain).
  const inputs = related
    .flatMap((r) => [r, ...r.split(/[\s@.]+/)])
    .map((r) => r.trim().toLowerCase())
    .filter((r) => r.length >= 3);
  const result = zxcvbn().check(password, [...new Set(inputs)]);
  if (result.score >= MIN_SCORE) return null;
  const parts = [result.feedback.warning, ...result.feedback.suggestions].filter(
    (p): p is string => typeof p === "string" && p.trim() !== "",
  );
  const why =
    parts.length > 0
      ? parts.map(sentence).join(" ")
      : "Add another word or two that are not common, or use a longer phrase.";
  return `This password is easy to guess. ${why}`;
}
