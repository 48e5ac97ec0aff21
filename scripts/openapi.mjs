/**
 * Writes the API's OpenAPI document, as GET /api/openapi.json serves it, to a file, from the
 * built server (run `npm run build` first; `npm test` does). `npm run api:lint` lints that file.
 *
 *   node scripts/openapi.mjs dist/openapi.json
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { apiDocument } from "../dist/server/app.js";

const out = process.argv[2];
if (!out) {
  process.stderr.write("Give the file to write, e.g. node scripts/openapi.mjs dist/openapi.json\n");
  process.exit(2);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(apiDocument(), null, 2)}\n`);
