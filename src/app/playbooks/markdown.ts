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
   * For each step (same index as `steps`), the key result its `(KR …)` ending links it to: a
   * position among `keyResults` (1 = the first), resolved from a number or a title; null when it
   * links none.
   */
  stepKeyResults: (number | null)[];
  /** Steps whose text ends in "(KR …)" that is kept as text, each with why and how to change it. */
  notes: TemplateNote[];
  /**
   * The goal's why: the rest of the first paragraph outside the template's sections that starts
   * "Why:" (as `playbookOfPlan` writes it); null when there is none or it is empty.
   */
  why: string | null;
}

/**
 * A step whose "(KR …)" ending stays part of its text: the playbook has no key results, or the
 * ending names none of them.
 */
export interface TemplateNote {
  /** The step, counted from 1 as people count. */
  step: number;
  /** The step's text, ending included. */
  text: string;
  /** What was read and what to do: link it, or keep the words and silence the note. */
  message: string;
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

/**
 * Stands for a parenthesis written `\(` while a step is read, so an escaped "(KR …)" ending is
 * never taken for a link; it becomes "(" again in every text the template gives out.
 */
const ESCAPED_PAREN = "\uE000";

function restoreParens(s: string): string {
  return s.replaceAll(ESCAPED_PAREN, "(");
}

/**
 * The position (from 1) of the key result a step's ending names among `keyResults`: a number in
 * range, or a title matched as the plan builder matches one (trimmed, any case); null with the
 * reason when it names none of them.
 */
function resolveKeyResultRef(
  ref: number | string,
  keyResults: TemplateKeyResult[],
): { position: number } | { why: string } {
  const n = keyResults.length;
  if (n === 0) return { why: 'this playbook has no "Key results" section' };
  if (typeof ref === "number") {
    return ref >= 1 && ref <= n
      ? { position: ref }
      : { why: `there is no key result ${ref} (the playbook has ${n}: 1 to ${n})` };
  }
  const i = keyResults.findIndex((k) => k.title.trim().toLowerCase() === ref.toLowerCase());
  if (i >= 0) return { position: i + 1 };
  const titles = keyResults.map((k) => `"${k.title}"`).join(", ");
  return { why: `no key result is called "${ref}" (they are ${titles})` };
}

const STEPS_HEADING = /^(micro[- ]?)?steps\b/i;
const BARRIERS_HEADING = /^(barriers?|obstacles?|plans? b)\b/i;
const IF_THEN = /^if\s+(.+?),?\s+then\s+\S/i;
/** A paragraph giving the goal's why: "Why: …". */
const WHY_LINE = /^why\s*:\s*/i;

/**
 * Reads a plan template out of playbook Markdown:
 * - every task-list item (`- [ ] text`, at any depth, outside code blocks) is a step;
 * - under a heading named "Steps", plain list items (bulleted or numbered) are steps too;
 * - under a heading named "Barriers", "Obstacles" or "Plan B", every line written
 *   "If …, then …" (a list item or a line of a paragraph) is a barrier: the if-part is the obstacle
 *   and the whole line its Plan B. Task items there are read as barriers, not steps.
 * - under a heading named "Key results", a list item written "Title: from 0 to 500 unit" (or
 *   "Title: 0 → 500 unit") is a key result; other items there are read as before;
 * - a step ending in "(KR 2)" or "(KR: Title)" serves that key result (by position or title) and
 *   the ending is not part of the step's text, but only when the playbook has key results and the
 *   ending names one of them; otherwise the ending stays in the step's text and a note says so.
 *   Written `\(KR …)`, the ending is always text, with no note.
 * A section lasts until the next heading of the same or a higher level.
 */
export function planTemplate(md: string): PlanTemplate {
  return templateOfTokens(marked.lexer(md));
}

/** `planTemplate` over Markdown already lexed (a playbook's answer lexes its body once). */
function templateOfTokens(tokens: Token[]): PlanTemplate {
  // Steps as written (escaped parentheses held), read for their key result once every key
  // result is known: the "Key results" section may come after the steps.
  const rawSteps: string[] = [];
  const barriers: PlanTemplate["barriers"] = [];
  const keyResults: TemplateKeyResult[] = [];
  let section: { kind: "steps" | "barriers" | "keyResults" | "other"; depth: number } = {
    kind: "other",
    depth: 0,
  };
  let why: string | null = null;
  const addStep = (raw: string) => {
    rawSteps.push(raw.replace(/\s+/g, " "));
  };

  const addBarrierLines = (text: string) => {
    for (const line of restoreParens(text).split("\n")) {
      const t = line.trim();
      const m = IF_THEN.exec(t);
      if (m?.[1]?.trim()) barriers.push({ obstacle: capitalize(m[1].trim()), planB: t });
    }
  };

  const walkList = (list: Tokens.List) => {
    for (const item of list.items) {
      const own = item.tokens.filter((t) => t.type !== "list");
      const text = own.map(inlineText).join("\n").trim();
      const kr = section.kind === "keyResults" && !item.task ? readKeyResultLine(restoreParens(text)) : null;
      if (section.kind === "barriers") addBarrierLines(text);
      else if (kr) keyResults.push(kr);
      else if ((item.task || section.kind === "steps") && text !== "") addStep(text);
      for (const t of item.tokens) if (t.type === "list") walkList(t as Tokens.List);
    }
  };

  for (const token of tokens) {
    if (token.type === "heading") {
      const h = token as Tokens.Heading;
      if (section.kind === "other" || h.depth <= section.depth) {
        const title = restoreParens(plain(h.tokens)).trim();
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
    } else if (token.type === "paragraph" && section.kind === "other" && why === null) {
      const text = restoreParens(plain((token as Tokens.Paragraph).tokens)).trim();
      if (WHY_LINE.test(text)) why = text.replace(WHY_LINE, "").replace(/\s+/g, " ").trim() || null;
    }
  }
  const steps: string[] = [];
  const stepKeyResults: PlanTemplate["stepKeyResults"] = [];
  const notes: TemplateNote[] = [];
  for (const raw of rawSteps) {
    const { text, keyResult } = splitStepKeyResult(raw);
    const resolved = keyResult === null ? null : resolveKeyResultRef(keyResult, keyResults);
    if (resolved && "position" in resolved) {
      steps.push(restoreParens(text));
      stepKeyResults.push(resolved.position);
      continue;
    }
    const whole = restoreParens(raw).trim();
    steps.push(whole);
    stepKeyResults.push(null);
    if (resolved) {
      const ending = whole.slice(whole.lastIndexOf("("));
      notes.push({
        step: steps.length,
        text: whole,
        message: `Step ${steps.length} ("${whole}") keeps "${ending}" as part of its text: ${resolved.why}. To link the step, name a key result of the playbook by its number or its title; to keep the words without this note, write \\${ending} in the playbook.`,
      });
    }
  }
  return { steps, barriers, keyResults, stepKeyResults, notes, why };
}

/**
 * What a plan started from a playbook would get, read from its Markdown: the key results, each step
 * with the key result it would serve (a position among `keyResults`, from 1), the barriers, and
 * notes on steps whose "(KR …)" ending stays text. The web page and `playbook show` show it.
 */
export interface PlaybookTemplate {
  keyResults: TemplateKeyResult[];
  steps: { text: string; keyResult: number | null }[];
  barriers: { obstacle: string; planB: string }[];
  notes: TemplateNote[];
}

/** `planTemplate` with each step and its key result together, as the API answers it. */
export function playbookTemplate(md: string): PlaybookTemplate {
  return asPlaybookTemplate(planTemplate(md));
}

/**
 * A playbook's body rendered (as `renderMarkdown`) and read as a template (as `playbookTemplate`)
 * from one lexing: on a large playbook the lexing is a third of the work (docs/architecture.md).
 */
export function renderAndRead(md: string): { html: string; template: PlaybookTemplate } {
  const tokens = marked.lexer(md);
  const template = asPlaybookTemplate(templateOfTokens(tokens));
  return { html: sanitizeHtml(marked.parser(tokens), SANITIZE), template };
}

function asPlaybookTemplate(t: PlanTemplate): PlaybookTemplate {
  return {
    keyResults: t.keyResults,
    steps: t.steps.map((text, i) => ({ text, keyResult: t.stepKeyResults[i] ?? null })),
    barriers: t.barriers,
    notes: t.notes,
  };
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
          return (t as Tokens.Escape).text === "(" ? ESCAPED_PAREN : (t as Tokens.Escape).text;
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
      // A step whose own words end in "(KR …)" is written with that parenthesis escaped, so it
      // reads back as text, not as a link.
      const text = escapeLine(s.text).replace(STEP_KEY_RESULT, (ending) => ending.replace("(", "\\("));
      lines.push(`- [ ] ${text}${n === undefined ? "" : ` (KR ${n})`}`);
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
