/**
 * A Trello board's JSON export (Menu → Print, export and share → Export as JSON).
 *
 * Lists become goals and cards become steps, with their checklist items as further steps right
 * after them. A board whose lists are workflow columns ("To do", "Doing", "Done") is one goal
 * instead, and the column gives each card its status. Labels become tags, the description notes.
 * Archived lists are left out (and named in the report); archived cards become dropped steps.
 *
 * Card members are the step's owner when one is a person of the workspace (matched by name or
 * user name in src/app/imports; the others named in the notes). Comments (`commentCard` actions)
 * and the start date become lines of the notes. A done card was done when the action that
 * completed it says: the newest `updateCard` that set `dueComplete` or moved it into a done list,
 * never `dateLastActivity` (a card completed on time and touched later was still on time). A card
 * was written when its `createCard` action says, else when its id says (Trello's ids begin with
 * the second they were made).
 */
import type { ImportData, ImportGoal, ImportStep } from "../../app/imports/imports.js";
import { FieldTally } from "../../app/imports/report.js";
import { dayIn, isIsoDay } from "../../core/dates.js";
import { badFile, dayOfTimestamp, parseJson } from "./file.js";

const WHAT = "Trello";
const DONE_COLUMN = /^(done|complete|completed|finished|shipped|closed)\b/i;
const DOING_COLUMN = /^(doing|in progress|in review|review|wip|this week|today|blocked)\b/i;
const TODO_COLUMN = /^(to ?-?do|backlog|next|up next|ideas|later|waiting|inbox|icebox)\b/i;

type Json = Record<string, unknown>;

function list(board: Json, field: string, required: boolean): Json[] {
  const v = board[field];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v)) {
    throw badFile(
      `The ${WHAT} file has no '${field}' list: is it a board's JSON export? In Trello: Menu → Print, export and share → Export as JSON.`,
      { field },
    );
  }
  return v.map((item, i) => {
    if (typeof item !== "object" || item === null)
      throw badFile(`${field}[${i}] of the ${WHAT} file is not an object.`, { field });
    return item as Json;
  });
}

function str(o: Json, field: string, where: string, opts: { optional?: boolean } = {}): string {
  const v = o[field];
  if ((v === undefined || v === null) && opts.optional) return "";
  if (typeof v !== "string" || (!opts.optional && v.trim() === "")) {
    throw badFile(`${where}: field '${field}' is missing or not text.`, { field });
  }
  return v;
}

/** A card's due instant as the day it is in the importing person's time zone (a bare day as it is). */
function due(o: Json, field: string, where: string, timeZone: string): string | null {
  const v = o[field];
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "string" && isIsoDay(v)) return v;
  if (typeof v !== "string" || dayOfTimestamp(v) === null) {
    throw badFile(`${where}: field '${field}' is ${JSON.stringify(v)}, not a date.`, { field });
  }
  return dayIn(new Date(v), timeZone);
}

const byPos = (a: Json, b: Json) => Number(a.pos ?? 0) - Number(b.pos ?? 0);

const obj = (v: unknown): Json =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {};
const when = (v: unknown): string | null =>
  typeof v === "string" && dayOfTimestamp(v) !== null ? new Date(v).toISOString() : null;

/** What a board's actions say of each card: when it was made and completed, and its comments. */
interface CardHistory {
  created?: string;
  /** The newest action that completed it (set dueComplete, or moved it into a done list). */
  completed?: string;
  comments: { at: string; who: string; text: string }[];
}

function historyOf(actions: Json[]): Map<string, CardHistory> {
  const out = new Map<string, CardHistory>();
  const of = (id: string) => {
    let h = out.get(id);
    if (!h) {
      h = { comments: [] };
      out.set(id, h);
    }
    return h;
  };
  for (const a of actions) {
    const data = obj(a.data);
    const card = obj(data.card);
    const at = when(a.date);
    if (typeof card.id !== "string" || at === null) continue;
    const h = of(card.id);
    if (a.type === "createCard" || a.type === "copyCard" || a.type === "convertToCardFromCheckItem") {
      if (!h.created || at < h.created) h.created = at;
    } else if (a.type === "commentCard" && typeof data.text === "string" && data.text.trim()) {
      const by = obj(a.memberCreator);
      const who =
        typeof by.fullName === "string" ? by.fullName : typeof by.username === "string" ? by.username : "";
      h.comments.push({ at, who, text: data.text.trim() });
    } else if (a.type === "updateCard") {
      const completes =
        (card.dueComplete === true && obj(data.old).dueComplete === false) ||
        DONE_COLUMN.test(String(obj(data.listAfter).name ?? ""));
      if (completes && (!h.completed || at > h.completed)) h.completed = at;
    }
  }
  for (const h of out.values()) h.comments.sort((a, b) => (a.at < b.at ? -1 : 1));
  return out;
}

/** When a Trello id was made: its first 8 hex digits are the second (a MongoDB ObjectId). */
function idTime(id: string): string | null {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const seconds = Number.parseInt(id.slice(0, 8), 16);
  return seconds > 1_000_000_000 ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * Parses a Trello board export into goals and steps. A card's `due` is an instant: the step is due
 * on the day it is in `timeZone`, the importing person's (UTC by default).
 * @example
 * parseTrello(JSON.stringify({ id: "b1", name: "Launch", lists: [{ id: "l1", name: "Venue" }],
 *   cards: [{ id: "c1", name: "Call the hall", idList: "l1" }] }))
 * // { goals: [{ externalId: "list:l1", title: "Launch: Venue", steps: [{ externalId: "card:c1", ... }] }], skipped: [] }
 */
export function parseTrello(text: string, timeZone = "UTC"): ImportData {
  const value = parseJson(text, WHAT);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badFile(`The ${WHAT} file is not a board export (a JSON object with lists and cards).`);
  }
  const board = value as Json;
  const lists = list(board, "lists", true).sort(byPos);
  const cards = list(board, "cards", true).sort(byPos);
  const checklists = list(board, "checklists", false).sort(byPos);
  const boardName = str(board, "name", "The board");
  const boardId = str(board, "id", "The board");
  const why = typeof board.desc === "string" && board.desc.trim() ? board.desc.trim().slice(0, 5000) : null;
  const skipped: string[] = [];
  const fields = new FieldTally();
  const history = historyOf(list(board, "actions", false));
  const members = new Map(
    list(board, "members", false).map((m) => [
      String(m.id),
      {
        name: typeof m.fullName === "string" ? m.fullName : null,
        username: typeof m.username === "string" ? m.username : null,
      },
    ]),
  );

  const listById = new Map<string, Json>();
  for (const [i, l] of lists.entries()) listById.set(str(l, "id", `lists[${i}]`), l);
  const open = lists.filter((l) => l.closed !== true);
  const columns =
    open.length > 0 &&
    open.every((l) => [DONE_COLUMN, DOING_COLUMN, TODO_COLUMN].some((re) => re.test(String(l.name))));

  const goals = new Map<string, ImportGoal & { steps: ImportStep[] }>();
  if (columns) goals.set("board", { externalId: `board:${boardId}`, title: boardName, why, steps: [] });
  for (const [i, l] of lists.entries()) {
    const name = str(l, "name", `lists[${i}]`);
    if (l.closed === true) {
      skipped.push(`archived list "${name}" and its cards`);
      continue;
    }
    if (!columns) {
      goals.set(String(l.id), {
        externalId: `list:${String(l.id)}`,
        title: `${boardName}: ${name}`,
        why,
        steps: [],
      });
    }
  }

  const itemsOf = new Map<string, Json[]>();
  for (const [i, cl] of checklists.entries()) {
    const idCard = str(cl, "idCard", `checklists[${i}]`);
    const items = cl.checkItems ?? [];
    if (!Array.isArray(items))
      throw badFile(`checklists[${i}]: field 'checkItems' must be a list.`, { field: "checkItems" });
    const named = (items as Json[]).sort(byPos).map((it) => ({ ...it, checklistName: cl.name }));
    itemsOf.set(idCard, [...(itemsOf.get(idCard) ?? []), ...named]);
  }

  for (const [i, c] of cards.entries()) {
    const where = `cards[${i}]`;
    const id = str(c, "id", where);
    const name = str(c, "name", `${where} (${id})`);
    const idList = str(c, "idList", `${where} (${id})`);
    const l = listById.get(idList);
    if (!l)
      throw badFile(`${where} ("${name}"): field 'idList' names a list the board does not have.`, {
        field: "idList",
      });
    if (l.closed === true) continue;
    const goal = goals.get(columns ? "board" : idList) as ImportGoal & { steps: ImportStep[] };
    const listName = String(l.name);
    const archived = c.closed === true;
    const complete = c.dueComplete === true;
    let status: ImportStep["status"] = "todo";
    if (complete || (columns && DONE_COLUMN.test(listName))) status = "done";
    else if (archived) status = "dropped";
    else if (columns && DOING_COLUMN.test(listName)) status = "doing";
    const labels = Array.isArray(c.labels) ? (c.labels as Json[]) : [];
    const tags = labels
      .map((lb) => (typeof lb.name === "string" && lb.name.trim() ? lb.name.trim() : String(lb.color ?? "")))
      .filter((t) => t !== "");
    const h = history.get(id) ?? { comments: [] };
    const notes: string[] = [];
    if (typeof c.desc === "string" && c.desc.trim()) notes.push(c.desc.trim());
    const start = when(c.start);
    if (start) notes.push(`Starts ${dayIn(new Date(start), timeZone)} (Trello's start date).`);
    for (const k of h.comments) notes.push(`${k.at.slice(0, 10)}${k.who ? ` ${k.who}` : ""}: ${k.text}`);
    const idMembers = Array.isArray(c.idMembers) ? c.idMembers.filter((m) => typeof m === "string") : [];
    const people = idMembers.flatMap((m) => {
      const p = members.get(m);
      return p ? [p] : [];
    });
    const doneAt = status === "done" ? (h.completed ?? null) : null;
    const created = h.created ?? idTime(id);
    const dueDate = due(c, "due", `${where} ("${name}")`, timeZone);
    goal.steps.push({
      externalId: `card:${id}`,
      text: name,
      status,
      dueDate,
      doneAt,
      tags,
      notes: notes.length ? notes.join("\n") : null,
      createdAt: created,
      assignee: people.length ? { field: "idMembers", tool: "Trello", people } : null,
    });
    fields.kept("name", "step.text");
    if (columns) fields.mapped("idList", "step.status");
    else fields.mapped("idList", "goal");
    if (notes.length && typeof c.desc === "string" && c.desc.trim()) fields.kept("desc", "step.notes");
    if (tags.length) fields.kept("labels", "step.tags");
    if (dueDate) fields.kept("due", "step.dueDate");
    if (complete) fields.mapped("dueComplete", "step.status");
    if (archived) fields.mapped("closed", "step.status");
    if (start) fields.mapped("start", "step.notes");
    if (h.comments.length) fields.kept("actions: commentCard", "step.notes", h.comments.length);
    if (created) fields.mapped(h.created ? "actions: createCard" : "id (its time)", "step.createdAt");
    if (status === "done") {
      if (doneAt) fields.mapped("actions: updateCard (completed)", "step.doneAt");
      else
        fields.leftOut(
          "actions: updateCard (completed)",
          "no action in the export says when it was completed (Trello exports the newest 1,000), so it was done at the import",
        );
    }
    if (typeof c.dateLastActivity === "string")
      fields.leftOut("dateLastActivity", "when the card was last touched, not when it was done");
    for (const m of idMembers) {
      if (!members.has(m)) fields.leftOut("idMembers", "a member not in the board's members list");
    }
    for (const [j, item] of (itemsOf.get(id) ?? []).entries()) {
      const itemWhere = `checklist item ${j + 1} of card "${name}"`;
      const itemName = str(item, "name", itemWhere);
      const itemDone = item.state === "complete";
      goal.steps.push({
        externalId: `checkitem:${str(item, "id", itemWhere)}`,
        text: itemName,
        status: itemDone ? "done" : archived || status === "done" ? "dropped" : "todo",
        dueDate: due(item, "due", itemWhere, timeZone),
        tags: [],
        notes: `From the checklist "${String(item.checklistName ?? "Checklist")}" on the card "${name}".`,
      });
      fields.mapped("checklists", "steps");
    }
  }
  return { goals: [...goals.values()], skipped, fields: fields.rows() };
}
