/**
 * Playbook Markdown: rendering it to HTML that is safe to put in a page, and reading a plan
 * template out of it (steps and if-then barriers).
 */
import { Marked, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false });

/**
 * The allow-list: structure and text only. No style, no event handlers, no images, frames or
 * scripts; links keep http, https, mailto and same-site addresses and never get an opener.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    ol: ["start"],
    th: [{ name: "align", multiple: false, values: ["left", "center", "right"] }],
    td: [{ name: "align", multiple: false, values: ["left", "center", "right"] }],
    input: [{ name: "type", multiple: false, values: ["checkbox"] }, "disabled", "checked"],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer" } }),
    // A task-list box shows state; it is never a form control someone can tick on the page.
    input: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...(attribs.type === undefined ? {} : { type: attribs.type }),
        disabled: "",
        ...("checked" in attribs ? { checked: "" } : {}),
      },
    }),
  },
  // Only task-list checkboxes survive; any other input is dropped.
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
};

/**
 * Renders playbook Markdown (GitHub-flavoured: tables, task lists) to sanitized HTML: raw HTML in
 * the text is reduced to the allow-list, so nothing in a playbook can run script in a reader's page.
 */
export function renderMarkdown(md: string): string {
  return sanitizeHtml(marked.parse(md, { async: false }), SANITIZE);
}

/** What a playbook offers as a plan template. */
export interface PlanTemplate {
  steps: string[];
  barriers: { obstacle: string; planB: string }[];
  /** Key results read from list items under a "Key results" heading, in order. */
  keyResults: TemplateKeyResult[];
  /**
   * For each step (same index as `steps`), the key result it names with a `(KR …)` suffix: its
   * position among `keyResults` (1 = the first) or its title; null when it names none.
   */
  stepKeyResults: (number | string | null)[];
}

/** A key result as a playbook writes it: "Title: from 0 to 500 subscribers". */
export interface TemplateKeyResult {
  title: string;
  startValue: number;
  targetValue: number;
  unit: string | null;
}

const KEY_RESULTS_HEADING = /^key[- ]?results?\b/i;
const NUMBER = String.raw`-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
/** "Title: from 0 to 500 unit" or "Title: 0 → 500 unit" (also "->"); a "%" may follow either number. */
const KEY_RESULT_LINE = new RegExp(
  String.raw`^(.+?):\s*(?:from\s+(${NUMBER})\s*(%?)\s+to\s+|(${NUMBER})\s*(%?)\s*(?:→|->)\s*)(${NUMBER})\s*(.*)$`,
  "i",
);
/** A step's key result, at the end of its line: "(KR 2)", "(KR: 2)", "(KR: Subscribers)". */
const STEP_KEY_RESULT = /\s*\(\s*KR\b\s*:?\s*([^()]*?)\s*\)$/i;

/** One list item under "Key results" read as a key result, or null when it is not written that way. */
export function readKeyResultLine(line: string): TemplateKeyResult | null {
  const m = KEY_RESULT_LINE.exec(line.replace(/\s+/g, " ").trim());
  if (!m) return null;
  const num = (s: string | undefined) => Number((s ?? "").replace(/,/g, ""));
  const title = (m[1] ?? "").trim();
  const start = m[2] ?? m[4];
  const percent = (m[3] ?? m[5] ?? "") !== "";
  const rest = (m[7] ?? "").trim();
  const unit = rest !== "" ? rest : percent ? "%" : null;
  if (title === "") return null;
  return { title, startValue: num(start), targetValue: num(m[6]), unit };
}

/** A step's text without its "(KR …)" suffix, and the key result the suffix names (a position or a title). */
export function splitStepKeyResult(text: string): { text: string; keyResult: number | string | null } {
  const m = STEP_KEY_RESULT.exec(text);
  const ref = m?.[1]?.trim();
  if (!m || !ref) return { text, keyResult: null };
  return { text: text.slice(0, m.index).trim(), keyResult: /^\d+$/.test(ref) ? Number(ref) : ref };
}

const STEPS_HEADING = /^(micro[- ]?)?steps\b/i;
const BARRIERS_HEADING = /^(barriers?|obstacles?|plans? b)\b/i;
const IF_THEN = /^if\s+(.+?),?\s+then\s+\S/i;

/**
 * Reads a plan template out of playbook Markdown:
 * - every task-list item (`- [ ] text`, at any depth, outside code blocks) is a step;
 * - under a heading named "Steps", plain list items (bulleted or numbered) are steps too;
 * - under a heading named "Barriers", "Obstacles" or "Plan B", every line written
 *   "If …, then …" (a list item or a line of a paragraph) is a barrier: the if-part is the obstacle
 *   and the whole line its Plan B. Task items there are read as barriers, not steps.
 * - under a heading named "Key results", a list item written "Title: from 0 to 500 unit" (or
 *   "Title: 0 → 500 unit") is a key result; other items there are read as before;
 * - a step ending in "(KR 2)" or "(KR: Title)" serves that key result (by position or title); the
 *   suffix is not part of the step's text.
 * A section lasts until the next heading of the same or a higher level.
 */
export function planTemplate(md: string): PlanTemplate {
  const steps: string[] = [];
  const barriers: PlanTemplate["barriers"] = [];
  const keyResults: TemplateKeyResult[] = [];
  const stepKeyResults: PlanTemplate["stepKeyResults"] = [];
  let section: { kind: "steps" | "barriers" | "keyResults" | "other"; depth: number } = {
    kind: "other",
    depth: 0,
  };
  const addStep = (raw: string) => {
    const { text, keyResult } = splitStepKeyResult(raw.replace(/\s+/g, " "));
    steps.push(text);
    stepKeyResults.push(keyResult);
  };

  const addBarrierLines = (text: string) => {
    for (const line of text.split("\n")) {
      const t = line.trim();
      const m = IF_THEN.exec(t);
      if (m?.[1]?.trim()) barriers.push({ obstacle: capitalize(m[1].trim()), planB: t });
    }
  };

  const walkList = (list: Tokens.List) => {
    for (const item of list.items) {
      const own = item.tokens.filter((t) => t.type !== "list");
      const text = own.map(inlineText).join("\n").trim();
      const kr = section.kind === "keyResults" && !item.task ? readKeyResultLine(text) : null;
      if (section.kind === "barriers") addBarrierLines(text);
      else if (kr) keyResults.push(kr);
      else if ((item.task || section.kind === "steps") && text !== "") addStep(text);
      for (const t of item.tokens) if (t.type === "list") walkList(t as Tokens.List);
    }
  };

  for (const token of marked.lexer(md)) {
    if (token.type === "heading") {
      const h = token as Tokens.Heading;
      if (section.kind === "other" || h.depth <= section.depth) {
        const title = plain(h.tokens).trim();
        const kind = STEPS_HEADING.test(title)
          ? "steps"
          : BARRIERS_HEADING.test(title)
            ? "barriers"
            : KEY_RESULTS_HEADING.test(title)
              ? "keyResults"
              : "other";
        section = { kind, depth: kind === "other" ? 0 : h.depth };
      }
    } else if (token.type === "list") {
      walkList(token as Tokens.List);
    } else if (token.type === "paragraph" && section.kind === "barriers") {
      addBarrierLines(plain((token as Tokens.Paragraph).tokens));
    }
  }
  return { steps, barriers, keyResults, stepKeyResults };
}

/** The plain text of a block inside a list item (its text or paragraph), without Markdown marks. */
function inlineText(token: Token): string {
  if ("tokens" in token && token.tokens && (token.type === "text" || token.type === "paragraph"))
    return plain(token.tokens);
  return token.type === "text" ? (token as Tokens.Text).text : "";
}

/** Inline tokens as plain text: emphasis, code and links keep their words; raw HTML is dropped. */
function plain(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  return tokens
    .map((t) => {
      switch (t.type) {
        case "html":
        case "checkbox":
          return "";
        case "br":
          return "\n";
        case "codespan":
          return (t as Tokens.Codespan).text;
        case "escape":
          return (t as Tokens.Escape).text;
        default:
          if ("tokens" in t && t.tokens) return plain(t.tokens);
          return "text" in t && typeof t.text === "string" ? decodeEntities(t.text) : "";
      }
    })
    .join("");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Decodes the HTML entities people type in text ("&amp;", "&#39;"), so steps read as written. */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const hex = name[1] === "x" || name[1] === "X";
      const code = hex ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What `playbookOfPlan` writes: a goal's plan, in the parts a template carries. */
export interface PlanForPlaybook {
  goal: { title: string; why: string | null };
  keyResults: {
    id: number;
    title: string;
    startValue: number;
    targetValue: number;
    unit: string | null;
    retiredAt?: string | null;
  }[];
  steps: { text: string; status: string; keyResultId?: number | null }[];
  barriers: { obstacle: string; planB: string }[];
}

/** Text safe to put on one Markdown line: marks and HTML escaped, and no list or heading start. */
function escapeLine(s: string): string {
  return s
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^([#+\->=])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/**
 * A goal's plan written as a playbook that `planTemplate` reads back to the same plan: its key
 * results that still count under "Key results", its open and finished steps (not dropped ones) as
 * task items each with "(KR n)" naming its key result by position, and its barriers as "If …, then
 * …" lines under "Plan B".
 */
export function playbookOfPlan(plan: PlanForPlaybook): string {
  const counting = plan.keyResults.filter((k) => !k.retiredAt);
  const position = new Map(counting.map((k, i) => [k.id, i + 1]));
  const lines = [`# ${escapeLine(plan.goal.title)}`, ""];
  if (plan.goal.why?.trim()) lines.push(`Why: ${escapeLine(plan.goal.why)}`, "");
  if (counting.length) {
    lines.push("## Key results", "");
    for (const k of counting) {
      const unit = k.unit?.trim() ? ` ${escapeLine(k.unit)}` : "";
      lines.push(`- ${escapeLine(k.title)}: from ${k.startValue} to ${k.targetValue}${unit}`);
    }
    lines.push("");
  }
  const steps = plan.steps.filter((s) => s.status !== "dropped");
  if (steps.length) {
    lines.push("## Steps", "");
    for (const s of steps) {
      const n = s.keyResultId == null ? undefined : position.get(s.keyResultId);
      lines.push(`- [ ] ${escapeLine(s.text)}${n === undefined ? "" : ` (KR ${n})`}`);
    }
    lines.push("");
  }
  const barriers = plan.barriers.filter((b) => b.obstacle.trim() !== "" && b.planB.trim() !== "");
  if (barriers.length) {
    lines.push("## Plan B", "");
    for (const b of barriers) {
      const planB = b.planB.replace(/\s+/g, " ").trim();
      const line = IF_THEN.test(planB)
        ? planB
        : `If ${lowerFirst(b.obstacle.replace(/\s+/g, " ").trim())}, then ${planB}`;
      lines.push(`- ${escapeLine(line)}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
