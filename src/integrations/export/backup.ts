/**
 * The JSON text of a full backup: valid JSON with one table row per line, so a backup reads well,
 * diffs line by line, and a damaged one is found by its line number.
 */
import type { Backup } from "../../app/imports/imports.js";

/**
 * Serialises a backup. `JSON.parse` of the result equals the backup.
 * @example
 * backupToJson(await exportBackup(ctx)).split("\n")[1] // '  "format": "throughline-backup",'
 */
export function backupToJson(b: Backup): string {
  const out = ["{"];
  const { tables, ...head } = b;
  for (const [k, v] of Object.entries(head)) out.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  out.push('  "tables": {');
  const names = Object.keys(tables);
  names.forEach((name, ti) => {
    const t = tables[name] as Backup["tables"][string];
    out.push(`    ${JSON.stringify(name)}: {`);
    out.push(`      "columns": ${JSON.stringify(t.columns)},`);
    if (t.rows.length === 0) out.push('      "rows": []');
    else {
      out.push('      "rows": [');
      t.rows.forEach((row, i) => {
        out.push(`        ${JSON.stringify(row)}${i < t.rows.length - 1 ? "," : ""}`);
      });
      out.push("      ]");
    }
    out.push(`    }${ti < names.length - 1 ? "," : ""}`);
  });
  out.push("  }", "}");
  return `${out.join("\n")}\n`;
}
