/** The AppError a use case fails with, for tests of refusals. */
import { AppError } from "../../src/app/errors.js";

/**
 * The AppError that `p` rejects with (give a function when several attempts are listed, so none
 * rejects before it is awaited); fails the test when it succeeds or throws anything else.
 */
export async function failure(p: Promise<unknown> | (() => Promise<unknown>)): Promise<AppError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}
