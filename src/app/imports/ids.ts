/** Stable ids for imported items that carry none of their own. */
import { createHash } from "node:crypto";

/** A short, stable id for an item that has none of its own, from its content. */
export function contentId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u001f")).digest("hex").slice(0, 24);
}
