/**
 * Playbook text as the server rendered it. There is one Markdown renderer, src/app/playbooks/markdown.ts
 * (GitHub-flavoured: tables, task lists as disabled checkboxes), whose output is sanitized to an
 * allow-list before it leaves the server; the page only fits it in, so what a reader sees is the
 * same on every page, in the editor's preview and through the API.
 */
import { useMemo } from "react";

/**
 * Fits the server's HTML into a page: every heading moves one level down (h1 → h2 … h5 → h6), since
 * the page's own title is its h1, and each task checkbox is named by its item's text, since a form
 * control without a name is announced as nothing. Parsed in a template, whose content is inert
 * (nothing in it loads or runs).
 */
function fitToPage(html: string): string {
  const t = document.createElement("template");
  t.innerHTML = html;
  for (const h of t.content.querySelectorAll("h1, h2, h3, h4, h5")) {
    const lower = document.createElement(`h${Number(h.tagName.slice(1)) + 1}`);
    lower.append(...h.childNodes);
    h.replaceWith(lower);
  }
  for (const box of t.content.querySelectorAll('input[type="checkbox"]')) {
    const own = [...(box.parentNode?.childNodes ?? [])]
      .filter((n) => n.nodeName !== "UL" && n.nodeName !== "OL")
      .map((n) => n.textContent)
      .join("")
      .trim();
    box.setAttribute("aria-label", own || (box.hasAttribute("checked") ? "Done" : "To do"));
    // The box stands in for the bullet (styles.css: li.task-list-item), as on GitHub.
    box.closest("li")?.classList.add("task-list-item");
  }
  return t.innerHTML;
}

/** Shows Markdown the server rendered and sanitized (a playbook's `html`, a version's, a preview's). */
export function RenderedMarkdown({ html }: { html: string }) {
  const shown = useMemo(() => fitToPage(html), [html]);
  return (
    <div
      className="markdown"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized on the server to an allow-list without scripts, handlers or styles (src/app/playbooks/markdown.ts)
      dangerouslySetInnerHTML={{ __html: shown }}
    />
  );
}
