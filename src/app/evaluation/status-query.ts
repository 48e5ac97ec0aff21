/**
 * The query of "a goal's status" (`?asOf=`), apart from status.ts: the CLI's `status` reads today's
 * status without one, and so without loading the validation library (zod and the shared schemas,
 * some 130 KB parsed on every run; issue 17, cli26). The server's route and a dated CLI run use it.
 */
import { z } from "zod";
import { isoDay } from "../validation.js";

/** Query of "a goal's status". */
export const StatusQuery = z.strictObject({ asOf: isoDay.optional() });
export type StatusQuery = z.input<typeof StatusQuery>;
