/**
 * Each person's own settings: their values, time zone, when the weekly prompt comes, quiet hours,
 * which channels nudges use (overall and per kind of nudge), snooze, and unsubscribing from email
 * by the link in every email. Nobody reads or changes another person's settings.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { isTimeZone, NUDGE_KINDS, type NudgeKind, type QuietHours } from "../../core/nudges.js";
import * as people from "../../store/repos/people.js";
import * as personal from "../../store/repos/reminders.js";
import * as store from "../../store/repos/settings.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, nowIso } from "../context.js";
import { AppError, invalid } from "../errors.js";
import { parse, text } from "../validation.js";
import { hookUrl, maskUrl } from "../webhooks/urls.js";
import { hashToken, newToken } from "./secrets.js";

/** The channels a nudge can go out on. Slack and Teams are delivered by their integrations. */
export const CHANNELS = ["inbox", "email", "slack", "teams"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Weekdays by name, 0 = Sunday. */
export const WEEKDAYS = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Quiet hours when a person has not chosen: 21:00 to 08:00 local time. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: 21, end: 8 };
const DEFAULT_CHANNELS: Record<Channel, boolean> = { inbox: true, email: true, slack: false, teams: false };

/** A person's settings as the API shows them. */
export interface SettingsView {
  values: string[];
  email: string | null;
  /** IANA time zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** When the weekly "one small step" prompt (and, for leaders, the digest) comes: local day and hour. */
  weeklyPrompt: { day: Weekday; hour: number };
  /** Local hours when nothing is delivered (start inclusive, end exclusive); null for none. */
  quietHours: QuietHours | null;
  /** Each channel on or off for every nudge. */
  channels: Record<Channel, boolean>;
  /** Per kind of nudge, channels turned off (or on) beyond `channels`. */
  nudges: Partial<Record<NudgeKind, Partial<Record<Channel, boolean>>>>;
  /** Nothing is delivered before this instant; null when not snoozed. */
  snoozeUntil: string | null;
  /** My own Slack or Teams channel for my nudges (its URL masked), or null. */
  personalChannel: { kind: PersonalChannelKind; url: string } | null;
  /** When my weekly review email comes (local day and hour), or null when it is off. */
  weeklyReview: { day: Weekday; hour: number } | null;
}

/** The kinds of personal channel: a Slack incoming webhook or a Teams workflow URL. */
export const PERSONAL_CHANNEL_KINDS = ["slack", "teams"] as const;
export type PersonalChannelKind = (typeof PERSONAL_CHANNEL_KINDS)[number];
/** The secret box purpose personal channel URLs are sealed under. */
const CHANNEL_PURPOSE = "personal-channels.url";

/** What the planner and the worker need to know about a person. */
export interface NudgeSettings {
  userId: number;
  timeZone: string;
  weeklyDay: number;
  weeklyHour: number;
  quietHours: QuietHours | null;
  channels: Record<Channel, boolean>;
  nudges: Partial<Record<NudgeKind, Partial<Record<Channel, boolean>>>>;
  snoozeUntil: string | null;
}

const hour = z
  .number()
  .int({ message: "must be a whole hour, 0 to 23." })
  .min(0, { message: "must be a whole hour, 0 to 23." })
  .max(23, { message: "must be a whole hour, 0 to 23." });

const weekday = z
  .union([
    z.enum(WEEKDAYS),
    z.number().int().min(0, { message: "must be 0 (Sunday) to 6 (Saturday)." }).max(6, {
      message: "must be 0 (Sunday) to 6 (Saturday).",
    }),
  ])
  .transform((d) => (typeof d === "number" ? d : WEEKDAYS.indexOf(d)));

const channelFlags = z.strictObject({
  inbox: z.boolean().optional(),
  email: z.boolean().optional(),
  slack: z.boolean().optional(),
  teams: z.boolean().optional(),
});

const kindShape = Object.fromEntries(NUDGE_KINDS.map((k) => [k, channelFlags.optional()])) as Record<
  NudgeKind,
  z.ZodOptional<typeof channelFlags>
>;

/** Body of "change my settings": every field optional; what is left out stays as it was. */
export const SettingsInput = z.strictObject({
  values: z.array(text(60)).max(20).optional(),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, {
      message:
        "is not a time zone this server knows. Use an IANA name such as Europe/Berlin or America/New_York.",
    })
    .optional(),
  weeklyPrompt: z.strictObject({ day: weekday.optional(), hour: hour.optional() }).optional(),
  quietHours: z.strictObject({ start: hour, end: hour }).nullable().optional(),
  channels: channelFlags.optional(),
  nudges: z.strictObject(kindShape).optional(),
  /** Connect my own Slack incoming webhook or Teams workflow (null disconnects it). */
  personalChannel: z
    .strictObject({ kind: z.enum(PERSONAL_CHANNEL_KINDS), webhookUrl: hookUrl })
    .nullable()
    .optional(),
  /** The day and hour of my weekly review email (null turns it off). */
  weeklyReview: z.strictObject({ day: weekday, hour }).nullable().optional(),
});
export type SettingsInput = z.input<typeof SettingsInput>;

/** The most a snooze may last: 90 days. */
export const MAX_SNOOZE_DAYS = 90;

/** Body of "snooze my nudges": until an ISO instant (at most 90 days ahead), or null to stop. */
export const SnoozeInput = z.strictObject({
  until: z.iso
    .datetime({ offset: true, message: "is not a date and time. Use ISO 8601, e.g. 2026-11-22T09:00:00Z." })
    .nullable(),
});
export type SnoozeInput = z.input<typeof SnoozeInput>;

function parseJson<T>(s: string, fallback: T): T {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === "object" ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

/** A person's settings (the defaults where they chose nothing). */
export async function nudgeSettingsOf(db: Kysely<Database>, userIds: readonly number[]) {
  const out = new Map<number, NudgeSettings>();
  for (const id of userIds) out.set(id, defaults(id));
  for (const r of await store.settingsRowsOf(db, userIds)) {
    out.set(r.userId, {
      userId: r.userId,
      timeZone: isTimeZone(r.timeZone) ? r.timeZone : "UTC",
      weeklyDay: r.weeklyDay,
      weeklyHour: r.weeklyHour,
      quietHours:
        r.quietStart === null || r.quietEnd === null ? null : { start: r.quietStart, end: r.quietEnd },
      channels: {
        ...DEFAULT_CHANNELS,
        ...parseJson<Partial<Record<Channel, boolean>>>(r.channelsJson, {}),
      },
      nudges: parseJson(r.kindsJson, {}),
      snoozeUntil: r.snoozeUntil,
    });
  }
  return out;
}

function defaults(userId: number): NudgeSettings {
  return {
    userId,
    timeZone: "UTC",
    weeklyDay: 1,
    weeklyHour: 9,
    quietHours: DEFAULT_QUIET_HOURS,
    channels: { ...DEFAULT_CHANNELS },
    nudges: {},
    snoozeUntil: null,
  };
}

/** True when a person wants this kind of nudge on this channel. */
export function wants(s: NudgeSettings, kind: NudgeKind, channel: Channel): boolean {
  return s.channels[channel] && s.nudges[kind]?.[channel] !== false;
}

async function settingsRowOrDefaults(db: Kysely<Database>, userId: number): Promise<NudgeSettings> {
  return (await nudgeSettingsOf(db, [userId])).get(userId) ?? defaults(userId);
}

async function saveSettings(db: Kysely<Database>, s: NudgeSettings, now: string): Promise<void> {
  await store.saveSettingsRow(db, s.userId, {
    timeZone: s.timeZone,
    weeklyDay: s.weeklyDay,
    weeklyHour: s.weeklyHour,
    // Quiet hours turned off are stored as 0–0 so a missing row keeps meaning "the defaults".
    quietStart: s.quietHours?.start ?? 0,
    quietEnd: s.quietHours?.end ?? 0,
    channelsJson: JSON.stringify(s.channels),
    kindsJson: JSON.stringify(s.nudges),
    snoozeUntil: s.snoozeUntil,
    updatedAt: now,
  });
}

async function view(ctx: AppContext, db: Kysely<Database>, userId: number): Promise<SettingsView> {
  const [s, user, channel, review] = await Promise.all([
    settingsRowOrDefaults(db, userId),
    people.emailAndValuesOf(db, userId),
    personal.personalChannelOf(db, userId),
    personal.weeklyReviewSlotOf(db, userId),
  ]);
  const quiet = s.quietHours && s.quietHours.start !== s.quietHours.end ? s.quietHours : null;
  return {
    values: parseJson<string[]>(user?.valuesJson ?? "[]", []),
    email: user?.email ?? null,
    timeZone: s.timeZone,
    weeklyPrompt: { day: WEEKDAYS[s.weeklyDay] ?? "monday", hour: s.weeklyHour },
    quietHours: quiet,
    channels: s.channels,
    nudges: s.nudges,
    snoozeUntil: s.snoozeUntil,
    personalChannel: channel
      ? {
          kind: channel.kind as PersonalChannelKind,
          url: maskUrl(ctx.store.secrets.open(channel.url, CHANNEL_PURPOSE)),
        }
      : null,
    weeklyReview: review ? { day: WEEKDAYS[review.weekday] ?? "monday", hour: review.hour } : null,
  };
}

/** A person's own channel with its URL opened, for delivering their nudges; null when none. */
export async function personalChannelFor(
  ctx: AppContext,
  userId: number,
): Promise<{ kind: PersonalChannelKind; url: string } | null> {
  const row = await personal.personalChannelOf(ctx.store.db, userId);
  if (!row) return null;
  return { kind: row.kind as PersonalChannelKind, url: ctx.store.secrets.open(row.url, CHANNEL_PURPOSE) };
}

/** My time zone (UTC unless I chose one): what my imports read due dates in. */
export async function timeZoneOf(ctx: AppContext, actor: Actor): Promise<string> {
  return (await settingsRowOrDefaults(ctx.store.db, actor.userId)).timeZone;
}

/** My settings. */
export async function getSettings(ctx: AppContext, actor: Actor): Promise<SettingsView> {
  return view(ctx, ctx.store.db, actor.userId);
}

/** Changes my settings; fields left out keep their value. */
export async function updateSettings(ctx: AppContext, actor: Actor, raw: unknown): Promise<SettingsView> {
  const input = parse(SettingsInput, raw);
  return ctx.store.db.transaction().execute(async (trx) => {
    const s = await settingsRowOrDefaults(trx, actor.userId);
    if (input.timeZone !== undefined) s.timeZone = input.timeZone;
    if (input.weeklyPrompt?.day !== undefined) s.weeklyDay = input.weeklyPrompt.day;
    if (input.weeklyPrompt?.hour !== undefined) s.weeklyHour = input.weeklyPrompt.hour;
    if (input.quietHours !== undefined) s.quietHours = input.quietHours;
    if (input.channels) {
      for (const c of CHANNELS) {
        const on = input.channels[c];
        if (on !== undefined) s.channels[c] = on;
      }
    }
    if (input.nudges) {
      for (const k of NUDGE_KINDS) {
        const flags = input.nudges[k];
        if (!flags) continue;
        const merged = { ...s.nudges[k] };
        for (const c of CHANNELS) {
          const on = flags[c];
          if (on !== undefined) merged[c] = on;
        }
        s.nudges[k] = merged;
      }
    }
    if (input.personalChannel !== undefined) {
      if (input.personalChannel === null) {
        await personal.deletePersonalChannel(trx, actor.userId);
      } else {
        await personal.savePersonalChannel(trx, {
          userId: actor.userId,
          kind: input.personalChannel.kind,
          url: ctx.store.secrets.seal(input.personalChannel.webhookUrl, CHANNEL_PURPOSE),
          now: nowIso(ctx),
        });
        // Connecting a channel is asking for nudges on it.
        if (input.channels?.[input.personalChannel.kind] === undefined)
          s.channels[input.personalChannel.kind] = true;
      }
    }
    if (input.weeklyReview !== undefined) {
      await personal.saveWeeklyReviewSlot(
        trx,
        actor.userId,
        input.weeklyReview === null
          ? null
          : { weekday: input.weeklyReview.day, hour: input.weeklyReview.hour },
        nowIso(ctx),
      );
    }
    await saveSettings(trx, s, nowIso(ctx));
    if (input.values !== undefined) {
      const unique = [...new Map(input.values.map((v) => [v.toLowerCase(), v])).values()];
      await people.setValues(trx, actor.userId, unique);
    }
    return view(ctx, trx, actor.userId);
  });
}

/** Snoozes my nudges until an instant (nothing is lost: they arrive after it), or ends the snooze. */
export async function snooze(ctx: AppContext, actor: Actor, raw: unknown): Promise<SettingsView> {
  const input = parse(SnoozeInput, raw);
  const now = ctx.now();
  let until: string | null = null;
  if (input.until !== null) {
    const t = new Date(input.until);
    if (t.getTime() <= now.getTime()) {
      throw invalid(
        "snooze_in_past",
        "The snooze must end in the future. Give a later 'until', or null to stop.",
        {
          field: "until",
        },
      );
    }
    if (t.getTime() > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) {
      throw invalid(
        "snooze_too_long",
        `A snooze lasts at most ${MAX_SNOOZE_DAYS} days. Give an earlier 'until'.`,
        {
          field: "until",
        },
      );
    }
    until = t.toISOString();
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const s = await settingsRowOrDefaults(trx, actor.userId);
    s.snoozeUntil = until;
    await saveSettings(trx, s, nowIso(ctx));
    return view(ctx, trx, actor.userId);
  });
}

/**
 * A fresh unsubscribe token for a person's next email. Each email carries its own random token;
 * only its SHA-256 is stored, and every token stays valid.
 */
export async function newUnsubscribeToken(
  db: Kysely<Database>,
  userId: number,
  now: string,
): Promise<string> {
  const token = newToken("un_");
  await store.insertUnsubscribeToken(db, { tokenHash: hashToken(token), userId, createdAt: now });
  return token;
}

/** Turns email off for the person an unsubscribe link belongs to; 404 for an unknown token. */
export async function unsubscribe(ctx: AppContext, token: string): Promise<{ email: string | null }> {
  if (token.length > 200)
    throw new AppError(404, "unsubscribe_not_found", "This unsubscribe link is not known.");
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await store.unsubscribeTokenByHash(trx, hashToken(token));
    if (!row) {
      throw new AppError(
        404,
        "unsubscribe_not_found",
        "This unsubscribe link is not known. Turn email off in Settings instead.",
      );
    }
    const s = await settingsRowOrDefaults(trx, row.userId);
    s.channels.email = false;
    const now = nowIso(ctx);
    await saveSettings(trx, s, now);
    await store.markUnsubscribeTokenUsed(trx, row.tokenHash, now);
    const user = await people.emailAndValuesOf(trx, row.userId);
    return { email: user?.email ?? null };
  });
}

/** A fresh unsubscribe token for a person's next email (see {@link newUnsubscribeToken}). */
export async function unsubscribeTokenFor(ctx: AppContext, userId: number): Promise<string> {
  return newUnsubscribeToken(ctx.store.db, userId, nowIso(ctx));
}
