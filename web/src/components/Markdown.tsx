/**
 * A small, safe Markdown renderer for playbooks. It builds React elements, never HTML strings, so
 * anything in the text (including `<script>` or `<img onerror>`) is shown as text: React escapes
 * it. Links keep only http, https, mailto and same-site addresses. Covers what playbooks use:
 * headings, paragraphs, lists, quotes, code blocks, rules, bold, italics, inline code and links.
 */
import type { ReactNode } from "react";

/** True for a link target that cannot run script: http(s), mailto, or a path on this site. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^(https?:|mailto:)/i.test(u)) return u;
  if (/^(\/(?!\/)|#|\.\.?\/)/.test(u)) return u;
  return null;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

/** Renders inline Markdown (code, bold, italics, links) as React nodes. */
export function inline(text: string, keyPrefix = "i"): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m || m.index === undefined) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const token = m[0];
    const key = `${keyPrefix}-${n++}`;
    if (m[1]) out.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={key}>{inline(token.slice(2, -2), key)}</strong>);
    else if (m[3]) out.push(<em key={key}>{inline(token.slice(1, -1), key)}</em>);
    else if (m[4]) {
      const lm = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token);
      const href = lm?.[2] ? safeHref(lm[2]) : null;
      const label = lm?.[1] ?? token;
      out.push(
        href ? (
          <a key={key} href={href} rel="noopener noreferrer nofollow">
            {inline(label, key)}
          </a>
        ) : (
          <span key={key}>{label}</span>
        ),
      );
    }
    rest = rest.slice(m.index + token.length);
  }
  return out;
}

/** Renders a Markdown document. */
export function Markdown({ source }: { source: string }) {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: ReactNode[] = [];
  let i = 0;
  let k = 0;
  const isBlockStart = (l: string) =>
    /^(#{1,6}\s|```|>\s?|\s*[-*+]\s|\s*\d+[.)]\s|(-{3,}|\*{3,})\s*$)/.test(l);
  while (i < lines.length) {
    const line = lines[i] as string;
    const key = `b${k++}`;
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (line.startsWith("```")) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).startsWith("```")) code.push(lines[i++] as string);
      i++;
      blocks.push(
        <pre key={key}>
          <code>{code.join("\n")}</code>
        </pre>,
      );
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      // Document headings start at h2: the page's own title is the h1.
      const level = Math.min(6, (h[1] as string).length + 1);
      const Tag = `h${level}` as "h2";
      blocks.push(<Tag key={key}>{inline(h[2] as string, key)}</Tag>);
      i++;
      continue;
    }
    if (/^(-{3,}|\*{3,})\s*$/.test(line)) {
      blocks.push(<hr key={key} />);
      i++;
      continue;
    }
    if (/^>\s?/.test(line)) {
      const quote: string[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i] as string))
        quote.push((lines[i++] as string).replace(/^>\s?/, ""));
      blocks.push(
        <blockquote key={key}>
          <Markdown source={quote.join("\n")} />
        </blockquote>,
      );
      continue;
    }
    const ordered = /^\s*\d+[.)]\s/.test(line);
    if (ordered || /^\s*[-*+]\s/.test(line)) {
      const items: string[] = [];
      const re = ordered ? /^\s*\d+[.)]\s+/ : /^\s*[-*+]\s+/;
      while (i < lines.length && re.test(lines[i] as string))
        items.push((lines[i++] as string).replace(re, ""));
      const List = ordered ? "ol" : "ul";
      blocks.push(
        <List key={key}>
          {items.map((it, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity beyond their place
            <li key={j}>{inline(it, `${key}-${j}`)}</li>
          ))}
        </List>,
      );
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      (lines[i] as string).trim() !== "" &&
      (para.length === 0 || !isBlockStart(lines[i] as string))
    )
      para.push(lines[i++] as string);
    blocks.push(<p key={key}>{inline(para.join(" "), key)}</p>);
  }
  return <div className="markdown">{blocks}</div>;
}
