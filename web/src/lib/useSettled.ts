/** A value that follows another once it stops changing, for work that should wait for a pause in typing. */
import { useEffect, useState } from "react";

/** `value`, once it has stayed the same for `delayMs`; until then the last value that did. */
export function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
