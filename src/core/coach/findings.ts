/**
 * The coach's findings: one stable code per problem, with a message that says what is wrong and
 * a suggestion that says how to fix it. Codes never change once published; wording may.
 */

/** One problem the coach found in a step or goal. `code` is stable; the texts are for people. */
export interface Finding {
  code: string;
  message: string;
  suggestion: string;
}

/** Every code the coach can emit. */
export const FINDING_CODES = [
  "outcome-not-action",
  "vague-verb",
  "too-big",
  "no-due-date",
  "no-owner",
  "not-measurable",
  "not-specific",
  "no-why",
  "no-plan-b",
  "no-steps",
  "outcome-steps",
  "empty",
  "unreadable",
  "too-long",
  "not-english",
  "due-from-text",
  "due-disagrees",
  "plan-b-no-cue",
  "plan-b-no-response",
  // SMART in full (issue 18): A and R.
  "target-out-of-reach",
  "due-before-steps-fit",
  "not-relevant",
  "beyond-team-pace",
  // issue 18 (krlink18): R for a step.
  "step-not-relevant",
] as const;

/** A stable finding code. */
export type FindingCode = (typeof FINDING_CODES)[number];

/** Shortens a quoted piece of the user's text so messages stay one line. */
export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? `"${flat}"` : `"${flat.slice(0, max - 1).trimEnd()}…"`;
}

/** Builds the finding for `code`; `detail` fills the part of the message that names the text. */
export function finding(code: FindingCode, detail = ""): Finding {
  switch (code) {
    case "outcome-not-action":
      return {
        code,
        message: `${detail || "This step"} describes a result, not something a person can do.`,
        suggestion:
          "Name the first concrete action that moves it: who could you call or what could you draft this week?",
      };
    case "vague-verb":
      return {
        code,
        message: `${detail || "The verb"} does not say what will actually be done.`,
        suggestion:
          "Replace it with a visible action and its result, e.g. 'Draft slides 1-5 of the deck' or 'Email three CRM vendors for a demo'.",
      };
    case "too-big":
      return {
        code,
        message: `${detail || "This step"} is more than one sitting of work.`,
        suggestion:
          "Split it into steps you can each finish in one sitting, and keep only the first one here.",
      };
    case "no-due-date":
      return {
        code,
        message: `${detail || "It"} has no date.`,
        suggestion: "Add a 'by when', e.g. 'by Friday', 'by March 31' or 'end of Q1'.",
      };
    case "no-owner":
      return {
        code,
        message: "Nobody owns this step.",
        suggestion: "Assign one person who will do it (the how can stay up to them).",
      };
    case "not-measurable":
      return {
        code,
        message: "The goal has no target or end a person could check, so nobody can tell when it is reached.",
        suggestion:
          "Add a number with a target, e.g. 'from 1,200 to 2,000 users' or 'churn under 3%', a done state a person can check, e.g. 'v2 shipped to all customers', or a key result; for a habit, a total to reach.",
      };
    case "not-specific":
      return {
        code,
        message: "The goal is too general to act on.",
        suggestion: "Say what exactly changes and for whom, e.g. 'Grow repeat orders from local cafés'.",
      };
    case "no-why":
      return {
        code,
        message: "The goal does not say why it matters.",
        suggestion: "Add the value or priority it serves and who benefits.",
      };
    case "no-plan-b":
      return {
        code,
        message: "No obstacle has a Plan B.",
        suggestion:
          "Write the likeliest obstacle as an if-then: 'If the approval slips past Friday, then I ask Dana to sign'.",
      };
    case "no-steps":
      return {
        code,
        message: "The goal has no steps.",
        suggestion: "Add one small step you can take this week.",
      };
    case "outcome-steps":
      return {
        code,
        message: `${detail || "Some steps"} describe results rather than actions.`,
        suggestion:
          "Rewrite each as the first concrete action: a call to make, a draft to write, a meeting to book.",
      };
    case "empty":
      return {
        code,
        message: "The text is empty.",
        suggestion: "Write what you will do, e.g. 'Call Dana to book the venue by Friday'.",
      };
    case "unreadable":
      return {
        code,
        message: "The text has no words the coach can read.",
        suggestion: "Write the step in words, e.g. 'Email Raj the revised quote'.",
      };
    case "too-long":
      return {
        code,
        message: `The text is longer than ${detail || "the limit"} characters; only the start was checked.`,
        suggestion: "Keep a step or goal to one or two sentences and move detail to notes.",
      };
    case "not-english":
      return {
        code,
        message: "The coach only understands English, so this text was not checked.",
        suggestion: "Write the step in English to get coaching, or ignore this note.",
      };
    case "due-from-text":
      return {
        code,
        message: `Due ${detail || "on the day"}, read from the text.`,
        suggestion: "If that is not the day you meant, set the due date yourself.",
      };
    case "plan-b-no-cue": {
      const [what, rewrite] = detail.split("|");
      return {
        code,
        message: `The Plan B ${what || ""} says what to do but not when: a Plan B starts on a cue.`.replace(
          "  ",
          " ",
        ),
        suggestion: `Write it as an if-then: "${rewrite || "If <the obstacle happens>, then I <do this>."}"`,
      };
    }
    case "plan-b-no-response": {
      const [what, rewrite] = detail.split("|");
      return {
        code,
        message: `The Plan B ${what || ""} says when, but not what you will do then.`.replace("  ", " "),
        suggestion: `Add one concrete action after "then": "${rewrite || "If <the obstacle happens>, then I <do this>."}"`,
      };
    }
    case "target-out-of-reach": {
      const [kr, need, best, due] = detail.split("|");
      return {
        code,
        message:
          `The key result ${kr || ""} needs ${need || "a pace"} to be reached by ${due || "its due date"}; the best so far was ${best || "much slower"}.`.replace(
            "  ",
            " ",
          ),
        suggestion:
          "Make it achievable: lower the target, move the due date, or add steps that change the pace. Say why when you change it.",
      };
    }
    case "beyond-team-pace": {
      const [kr, need, count, best, due] = detail.split("|");
      const n = Number(count);
      const similar =
        n === 1
          ? "the team's one similar key result"
          : `the fastest of the team's ${count || "similar"} similar key results`;
      return {
        code,
        message:
          `The key result ${kr || ""} needs ${need || "a pace"} to be reached by ${due || "its due date"}; ${similar} managed ${best || "much less"}.`.replace(
            "  ",
            " ",
          ),
        suggestion:
          "Check it against what the team has done: lower the target, move the due date, or say what will make this one faster.",
      };
    }
    case "due-before-steps-fit": {
      const [need, left, due] = detail.split("|");
      return {
        code,
        message: `The open steps are estimated at ${need || "more time"}, but only ${left || "less time"} of working days is left before ${due || "the due date"}.`,
        suggestion:
          "Move the due date, drop or hand over steps, or check the estimates: the plan cannot fit as it stands.",
      };
    }
    case "not-relevant":
      return {
        code,
        message: "Nothing says what this goal is for: it has no why and serves no parent goal.",
        suggestion: "Write the value or priority it serves, or link it to the objective it moves forward.",
      };
    case "step-not-relevant":
      return {
        code,
        message: `This step${detail ? ` ${detail}` : ""} isn't tied to a key result or the why.`,
        suggestion:
          "Link it to the key result it moves, or say how it serves the why (or drop it if it doesn't).",
      };
    case "due-disagrees":
      return {
        code,
        message: `The text says ${detail || "another day"}, not the due date that was set.`,
        suggestion: "Change the text or the due date so they agree: reminders and reports use the due date.",
      };
  }
}
