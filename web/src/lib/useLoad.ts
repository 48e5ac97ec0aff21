/** Loading data for a page: one hook that tracks loading, error and data, with a reload. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client.js";

/** Where a load stands. */
export type Load<T> =
  | { state: "loading"; data?: undefined; error?: undefined }
  | { state: "error"; error: ApiError; data?: undefined }
  | { state: "ready"; data: T; error?: undefined };

/** Turns anything thrown into an ApiError with a message a person can act on. */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, "client_error", e instanceof Error ? e.message : String(e));
}

/**
 * Runs `load` when the dependencies change and on `reload()`. A reload keeps showing the old data
 * until the new data arrives (no flash of the loading state). `answered`, when given, returns the
 * data if it is already here (a prefetch that answered, issue 17): the first render shows it, the
 * first load is skipped, and `forget` is called once it is on screen.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  answered?: () => { data: T; forget: () => void } | undefined,
): Load<T> & { reload: () => void } {
  const [first] = useState(() => answered?.());
  const [result, setResult] = useState<Load<T>>(() =>
    first ? { state: "ready", data: first.data } : { state: "loading" },
  );
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const skipFirst = useRef(result.state === "ready");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on
  useEffect(() => {
    if (skipFirst.current) {
      skipFirst.current = false;
      first?.forget();
      return;
    }
    let live = true;
    loadRef.current().then(
      (data) => live && setResult({ state: "ready", data }),
      (e: unknown) => live && setResult({ state: "error", error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...result, reload };
}

/** Resolves to null when a route does not exist on this server yet, instead of failing. */
export async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.missing) return null;
    throw e;
  }
}
