/**
 * A Trello board's JSON export (Menu → Print, export and share → Export as JSON).
 *
 * Lists become goals and cards become steps, with their checklist items as further steps right
 * after them. A board whose lists are workflow columns ("To do", "Doing", "Done") is one goal
 * instead, and the column gives each card its status. Labels become tags, the description notes.
 * Archived lists are left out (and named in the report); archived cards become dropped steps.
 */
import type { ImportData, ImportGoal, ImportStep } from "../../app/imports/imports.js";
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
    const lastActivity = typeof c.dateLastActivity === "string" ? c.dateLastActivity : null;
    goal.steps.push({
      externalId: `card:${id}`,
      text: name,
      status,
      dueDate: due(c, "due", `${where} ("${name}")`, timeZone),
      doneAt: status === "done" && lastActivity && dayOfTimestamp(lastActivity) ? lastActivity : null,
      tags,
      notes: typeof c.desc === "string" && c.desc.trim() ? c.desc.trim() : null,
    });
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
    }
  }
  return { goals: [...goals.values()], skipped };
}
