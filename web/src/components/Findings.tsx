/** The coach's findings under a field: what is wrong, and a suggestion for how to fix it. */
import type { Finding } from "../api/client.js";

/** Findings for one field; renders nothing when there are none. */
export function Findings({ id, findings }: { id: string; findings: Finding[] | undefined }) {
  if (!findings || findings.length === 0) return <div id={id} className="findings-slot" />;
  return (
    <ul id={id} className="findings" aria-label="Coach findings">
      {findings.map((f) => (
        <li key={f.code} className="finding" data-code={f.code}>
          <span className="finding-message">{f.message}</span>
          {f.suggestion ? <span className="finding-suggestion">Try: {f.suggestion}</span> : null}
        </li>
      ))}
    </ul>
  );
}
