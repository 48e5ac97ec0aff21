/**
 * Whether a new password is good enough. A minimal stand-in that keeps the length rule of sign-up
 * (10 to 200 characters); issue 16's password-strength work (defect 3) replaces its body with a
 * zxcvbn score, keeping this signature.
 */

/**
 * What is wrong with a new password, as a sentence that says how to fix it, or null when it is
 * acceptable. `related` holds words the person's password must not lean on (their email, name).
 * @example
 * passwordProblem("short", []) // "The password is too short: use at least 10 characters."
 */
export function passwordProblem(password: string, related: string[]): string | null {
  void related;
  if (password.length < 10) return "The password is too short: use at least 10 characters.";
  if (password.length > 200) return "The password is too long: use at most 200 characters.";
  return null;
}
