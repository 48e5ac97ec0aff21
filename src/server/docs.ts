/** A self-contained API reference page rendered from the OpenAPI document (no CDN, works offline). */

/** Escapes text for HTML. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

type Doc = {
  paths?: Record<
    string,
    Record<string, { summary?: string; tags?: string[]; requestBody?: unknown; parameters?: unknown[] }>
  >;
};

/** Renders every operation with its summary and request schema. */
export function renderDocsPage(doc: unknown): string {
  const d = doc as Doc;
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(d.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const body = op.requestBody
        ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre></details>`
        : "";
      const params = op.parameters?.length
        ? `<details><summary>Parameters</summary><pre>${esc(JSON.stringify(op.parameters, null, 2))}</pre></details>`
        : "";
      rows.push(
        `<section><h2><code>${esc(method.toUpperCase())} /api${esc(path.replace(/^\/api/, ""))}</code></h2><p>${esc(op.summary ?? "")}</p>${params}${body}</section>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Throughline API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
h2{font-size:1rem;margin:1.5rem 0 .25rem}pre{background:#f4f5f7;padding:.75rem;overflow:auto;font-size:.8rem}</style></head>
<body><h1>Throughline API</h1><p>The machine-readable document is at <a href="/api/openapi.json">/api/openapi.json</a>.
Errors answer <code>{ "error": { "code", "message", "details" } }</code>.</p>${rows.join("\n")}</body></html>`;
}
