/**
 * Settings: my values, where and when nudges reach me (GET/PATCH /api/settings), my own Slack or
 * Teams channel and the weekly review email among them, and API tokens (/api/tokens). On a server
 * without /api/settings the values known from the session and the goals are shown, and editing
 * says it is unavailable.
 */
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { Link } from "react-router";
import { type ApiError, type ApiToken, api, type Settings } from "../api/client.js";
import { useSession } from "../api/session.js";
import { ChangePasswordCard, SignOutEverywhereCard } from "../components/AccountSafety.js";
import { usePageTitle } from "../components/Layout.js";
import { ErrorNotice, Loading, Unavailable } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { managesIntegrations } from "../lib/roles.js";
import { asApiError, optional, useLoad } from "../lib/useLoad.js";

/** The settings page. */
export default function SettingsPage() {
  usePageTitle("Settings");
  const { session } = useSession();
  const load = useLoad(async () => {
    const [settings, tokens, goals] = await Promise.all([
      optional(api.settings.get()),
      optional(api.settings.tokens()),
      api.goals.list({ limit: 200 }),
    ]);
    const used = [...new Set(goals.items.flatMap((g) => g.values))].sort();
    return { settings, tokens: tokens?.items ?? null, used };
  }, []);

  return (
    <section className="page narrow" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {session ? (
        <p className="muted">
          {session.local
            ? "This server has no accounts yet: you are its local owner."
            : `Signed in as ${session.user.name}.`}
        </p>
      ) : null}
      {load.state === "loading" ? <Loading what="Loading settings" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" ? (
        <div className="stack">
          <ValuesCard settings={load.data.settings} mine={session?.user.values ?? []} used={load.data.used} />
          <ChannelsCard settings={load.data.settings} />
          {load.data.settings ? <TimingCard settings={load.data.settings} /> : null}
          {load.data.settings ? <WeeklyReviewCard settings={load.data.settings} /> : null}
          <TokensCard tokens={load.data.tokens} reload={load.reload} />
          {/* Accounts (issue 16, defect 8). */}
          {session && !session.local ? <ChangePasswordCard /> : null}
          {session && !session.local ? <SignOutEverywhereCard /> : null}
        </div>
      ) : null}
    </section>
  );
}

/** One card of the page: its heading, a line on what it is for, then its form or list. */
function SettingsCard({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p className="muted small">{intro}</p>
      {children}
    </section>
  );
}

/**
 * A form that saves settings: the button says "Saving…" while `save` runs, then "Saved." shows
 * beside it, or the error above it.
 */
function SaveForm({
  label,
  primary,
  save,
  children,
}: {
  label: string;
  primary?: boolean;
  /** Sends the form's values; throws what the API answered when they are refused. */
  save: (form: FormData) => Promise<void>;
  children: ReactNode;
}) {
  const [state, setState] = useState<"idle" | "saving" | "saved">("idle");
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setState("saving");
    setError(null);
    try {
      await save(form);
      setState("saved");
    } catch (err) {
      setError(asApiError(err));
      setState("idle");
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      {children}
      {error ? <ErrorNotice error={error} /> : null}
      <div className="actions">
        <button
          type="submit"
          className={primary ? "button primary" : "button secondary"}
          disabled={state === "saving"}
        >
          {state === "saving" ? "Saving…" : label}
        </button>
        {state === "saved" ? (
          <span role="status" className="small">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function ValuesCard({ settings, mine, used }: { settings: Settings | null; mine: string[]; used: string[] }) {
  const id = useId();
  const [values, setValues] = useState((settings?.values ?? []).join(", "));

  async function save() {
    const s = await api.settings.update({
      values: values
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    });
    setValues(s.values.join(", "));
  }

  return (
    <SettingsCard title="My values" intro="The values your goals serve. Every goal carries its why.">
      {settings ? (
        <SaveForm label="Save values" primary save={save}>
          <div className="field">
            <label htmlFor={`${id}-values`}>Values, separated by commas</label>
            <input id={`${id}-values`} value={values} onChange={(e) => setValues(e.target.value)} />
          </div>
        </SaveForm>
      ) : (
        <>
          {mine.length > 0 ? (
            <ul className="chips" aria-label="My values">
              {mine.map((v) => (
                <li key={v} className="chip">
                  {v}
                </li>
              ))}
            </ul>
          ) : null}
          <Unavailable what="Editing personal values">
            <p className="muted small">Values are written on each goal for now.</p>
          </Unavailable>
        </>
      )}
      {used.length > 0 ? (
        <>
          <h3 className="subhead">On your goals</h3>
          <ul className="chips" aria-label="Values on your goals">
            {used.map((v) => (
              <li key={v} className="chip">
                {v}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </SettingsCard>
  );
}

const CHANNELS: { key: keyof Settings["channels"]; label: string; hint: string }[] = [
  { key: "inbox", label: "In-app inbox", hint: "the badge in the header" },
  { key: "email", label: "Email", hint: "to your sign-in address" },
  { key: "slack", label: "Slack", hint: "your own channel, below" },
  { key: "teams", label: "Microsoft Teams", hint: "your own channel, below" },
];

/**
 * Where my nudges go. Only channels this server can deliver on are offered (`available` in the
 * settings answer): email only when it sends email; Slack or Teams once I connect my own channel
 * (an incoming webhook or workflow URL) in this card. A team's own channel is connected on the
 * Integrations page, so they are explained rather than ticked here.
 */
function ChannelsCard({ settings: loaded }: { settings: Settings | null }) {
  const { session } = useSession();
  const [settings, setSettings] = useState(loaded);
  const [error, setError] = useState<ApiError | null>(null);
  const channels = settings?.channels ?? null;
  // An older server does not say; then only the inbox is sure to work.
  const available = settings?.available ?? { inbox: true, email: false, slack: false, teams: false };
  const offered = CHANNELS.filter((c) => available[c.key]);

  async function toggle(key: keyof Settings["channels"], on: boolean) {
    if (!settings) return;
    const before = settings;
    setSettings({ ...settings, channels: { ...settings.channels, [key]: on } });
    setError(null);
    try {
      setSettings(await api.settings.update({ channels: { [key]: on } }));
    } catch (err) {
      setSettings(before);
      setError(asApiError(err));
    }
  }

  return (
    <SettingsCard
      title="Notification channels"
      intro="Where nudges go before a step or check-in is due, and when a goal stalls."
    >
      {channels ? (
        <fieldset className="checks plain-fieldset">
          <legend className="visually-hidden">Send nudges by</legend>
          {offered.map((c) => (
            <label key={c.key} className="check">
              <input
                type="checkbox"
                checked={channels[c.key]}
                onChange={(e) => void toggle(c.key, e.target.checked)}
              />{" "}
              {c.label} <span className="muted small">({c.hint})</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <Unavailable what="Choosing notification channels" />
      )}
      {error ? <ErrorNotice error={error} /> : null}
      {settings && !available.email ? (
        <p className="small muted" data-testid="no-email">
          Email: this server does not send email yet, so nudges reach your inbox here. Whoever runs the server
          can turn email on by setting SMTP_URL.
        </p>
      ) : null}
      <p className="small muted" data-testid="team-channels">
        Slack and Microsoft Teams: nudges about a team's goals (a goal that stalls, a commitment kept or
        missed) are posted to the team's channel.{" "}
        {managesIntegrations(session) ? (
          <>
            Connect your teams' channels on the <Link to="/integrations">Integrations page</Link>.
          </>
        ) : (
          "A team's owners and leaders connect its channel on the Integrations page."
        )}
      </p>
      {/* Issue 19: my own Slack or Teams channel. */}
      {settings && "personalChannel" in settings ? (
        <PersonalChannel settings={settings} onSaved={setSettings} />
      ) : null}
    </SettingsCard>
  );
}

type PersonalKind = NonNullable<Settings["personalChannel"]>["kind"];

const PERSONAL: Record<PersonalKind, { name: string; field: string; hint: string }> = {
  slack: {
    name: "Slack",
    field: "Slack incoming webhook URL",
    hint: "In Slack: Apps → Incoming Webhooks → Add to Slack, choose a channel or your own direct messages, then copy the URL (https://hooks.slack.com/services/…).",
  },
  teams: {
    name: "Microsoft Teams",
    field: "Teams workflow URL",
    hint: 'In Teams: "Workflows" → "Post to a chat when a webhook request is received" (or "… to a channel …"), then copy its URL.',
  },
};

/** The API's words about one field of a refused request ("is not a URL. …"), or null. */
function fieldProblem(error: ApiError, field: string): string | null {
  const issues = (error.details as { issues?: { field?: string; message?: string }[] }).issues ?? [];
  return issues.find((i) => i.field === field)?.message ?? null;
}

/**
 * My own Slack incoming webhook or Teams workflow, where my nudges also go: choose which, paste the
 * URL, connect; once connected its masked URL and "Disconnect". A URL the server refuses (not
 * https, a private address) is explained next to the field in the API's words.
 */
function PersonalChannel({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const id = useId();
  const [kind, setKind] = useState<PersonalKind>("slack");
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const connected = settings.personalChannel;

  async function save(body: Parameters<typeof api.settings.update>[0], after: string) {
    setProblem(null);
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      onSaved(await api.settings.update(body));
      setUrl("");
      setDone(after);
    } catch (err) {
      const e = asApiError(err);
      const p = fieldProblem(e, "personalChannel.webhookUrl");
      // "points at 10.0.0.1 is a private network address. …" reads as "…, which is …".
      if (p) setProblem(`This URL ${p.replace(/^points at (\S+) is /, "points at $1, which is ")}`);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  function connect(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (url.trim() === "") {
      setProblem(`Paste the ${PERSONAL[kind].field} first.`);
      return;
    }
    void save(
      { personalChannel: { kind, webhookUrl: url.trim() } },
      `Connected. Your nudges now also go to ${PERSONAL[kind].name}.`,
    );
  }

  return (
    <section className="stack personal-channel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="subhead">
        My own Slack or Teams channel{" "}
        {connected ? (
          <span className="tag tag-good">Connected</span>
        ) : (
          <span className="tag">Not connected</span>
        )}
      </h3>
      {connected ? (
        <>
          <p className="small">
            Your nudges also go to {PERSONAL[connected.kind].name} at <code>{connected.url}</code> (the
            address is shown shortened: it works like a password).
          </p>
          <div className="actions">
            <button
              type="button"
              className="button secondary small"
              disabled={busy}
              onClick={() =>
                void save({ personalChannel: null }, "Disconnected. Nothing more is posted to that channel.")
              }
            >
              Disconnect {PERSONAL[connected.kind].name}
            </button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={connect} noValidate>
          <p className="small muted">
            Nudges meant for you alone can also reach you in Slack or Microsoft Teams: connect an incoming
            webhook or workflow URL of your own.
          </p>
          <div className="field">
            <label htmlFor={`${id}-kind`}>Post my nudges to</label>
            <select
              id={`${id}-kind`}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as PersonalKind);
                setProblem(null);
              }}
            >
              <option value="slack">Slack</option>
              <option value="teams">Microsoft Teams</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-url`}>{PERSONAL[kind].field}</label>
            <input
              id={`${id}-url`}
              name="url"
              type="url"
              inputMode="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem ${id}-hint` : `${id}-hint`}
            />
            {problem ? (
              <p className="field-problem small" id={`${id}-problem`} role="alert">
                {problem}
              </p>
            ) : null}
            <p className="hint" id={`${id}-hint`}>
              {PERSONAL[kind].hint}
            </p>
          </div>
          <div className="actions">
            <button type="submit" className="button secondary small" disabled={busy}>
              {busy ? "Connecting…" : `Connect ${PERSONAL[kind].name}`}
            </button>
          </div>
        </form>
      )}
      {done ? (
        <p role="status" className="small">
          {done}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

function TimingCard({ settings }: { settings: Settings }) {
  const id = useId();

  async function save(f: FormData) {
    await api.settings.update({
      timeZone: String(f.get("tz") ?? "").trim() || "UTC",
      weeklyPrompt: {
        day: String(f.get("day")) as (typeof DAYS)[number],
        hour: Number(f.get("hour")),
      },
      quietHours:
        f.get("quiet") === "on" ? { start: Number(f.get("qstart")), end: Number(f.get("qend")) } : null,
    });
  }

  const hourOptions = HOURS.map((h) => (
    <option key={h} value={h}>
      {hourLabel(h)}
    </option>
  ));
  return (
    <SettingsCard
      title="When nudges come"
      intro={'The weekly "one small step" question, and hours when nothing is sent.'}
    >
      <SaveForm label="Save timing" save={save}>
        <div className="field">
          <label htmlFor={`${id}-tz`}>Time zone</label>
          <input
            id={`${id}-tz`}
            name="tz"
            defaultValue={settings.timeZone}
            placeholder="Europe/Berlin"
            autoComplete="off"
          />
        </div>
        <div className="row-fields">
          <div className="field field-narrow">
            <label htmlFor={`${id}-day`}>Weekly question on</label>
            <select id={`${id}-day`} name="day" defaultValue={settings.weeklyPrompt.day}>
              {DAYS.map((d) => (
                <option key={d} value={d}>
                  {d[0]?.toUpperCase()}
                  {d.slice(1)}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-narrow">
            <label htmlFor={`${id}-hour`}>at</label>
            <select id={`${id}-hour`} name="hour" defaultValue={settings.weeklyPrompt.hour}>
              {hourOptions}
            </select>
          </div>
        </div>
        <label className="check">
          <input type="checkbox" name="quiet" defaultChecked={settings.quietHours !== null} /> Quiet hours
        </label>
        <div className="row-fields">
          <div className="field field-narrow">
            <label htmlFor={`${id}-qstart`}>From</label>
            <select id={`${id}-qstart`} name="qstart" defaultValue={settings.quietHours?.start ?? 21}>
              {hourOptions}
            </select>
          </div>
          <div className="field field-narrow">
            <label htmlFor={`${id}-qend`}>Until</label>
            <select id={`${id}-qend`} name="qend" defaultValue={settings.quietHours?.end ?? 8}>
              {hourOptions}
            </select>
          </div>
        </div>
      </SaveForm>
    </SettingsCard>
  );
}

/** "monday" as "Monday". */
const dayName = (d: string) => `${d[0]?.toUpperCase() ?? ""}${d.slice(1)}`;

/**
 * The weekly review email (issue 19): on or off, and on which day and hour of my time zone. On a
 * server that sends no email it says so instead of offering a switch that would do nothing.
 */
function WeeklyReviewCard({ settings }: { settings: Settings }) {
  const id = useId();
  const review = "weeklyReview" in settings ? settings.weeklyReview : undefined;
  const [on, setOn] = useState(Boolean(review));
  const [day, setDay] = useState<(typeof DAYS)[number]>(review?.day ?? "friday");
  const [hour, setHour] = useState(review?.hour ?? 16);
  // An older server has no weekly review.
  if (review === undefined) return null;
  const canEmail = settings.available?.email ?? false;

  async function save() {
    await api.settings.update({ weeklyReview: on ? { day, hour } : null });
  }

  return (
    <SettingsCard
      title="Weekly review email"
      intro="Once a week: your wins, what was missed, stalled goals, your follow-through rate, and one small step for next week, with links."
    >
      {canEmail ? (
        <SaveForm label="Save weekly review" save={save}>
          <label className="check">
            <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Send me the
            weekly review
          </label>
          <div className="row-fields">
            <div className="field field-narrow">
              <label htmlFor={`${id}-day`}>Review on</label>
              <select
                id={`${id}-day`}
                value={day}
                disabled={!on}
                onChange={(e) => setDay(e.target.value as (typeof DAYS)[number])}
              >
                {DAYS.map((d) => (
                  <option key={d} value={d}>
                    {dayName(d)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-narrow">
              <label htmlFor={`${id}-hour`}>at</label>
              <select
                id={`${id}-hour`}
                value={hour}
                disabled={!on}
                onChange={(e) => setHour(Number(e.target.value))}
              >
                {HOURS.map((h) => (
                  <option key={h} value={h}>
                    {hourLabel(h)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {settings.email ? (
            <p className="hint">
              Sent to {settings.email}, in your time zone ({settings.timeZone}).
            </p>
          ) : (
            <p className="hint">Your account has no email address, so the review has nowhere to go yet.</p>
          )}
        </SaveForm>
      ) : (
        <p className="small muted" data-testid="no-review-email">
          This server does not send email yet, so there is no weekly review email
          {review ? ` (yours is set for ${dayName(review.day)} at ${hourLabel(review.hour)})` : ""}. Whoever
          runs the server can turn email on by setting SMTP_URL.
        </p>
      )}
    </SettingsCard>
  );
}

function TokensCard({ tokens, reload }: { tokens: ApiToken[] | null; reload: () => void }) {
  const id = useId();
  const [created, setCreated] = useState<ApiToken | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  /** Runs a change to the tokens, then lists them again; a refusal is shown under the card. */
  async function change(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
      reload();
    } catch (err) {
      setError(asApiError(err));
    }
  }

  function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    return change(async () => {
      setCreated(await api.settings.createToken({ name: String(new FormData(el).get("name") ?? "") }));
      el.reset();
    });
  }

  const revoke = (t: ApiToken) => change(() => api.settings.revokeToken(t.id));

  return (
    <SettingsCard
      title="API tokens"
      intro="For the command line against this server, scripts and integrations."
    >
      {tokens === null ? (
        <Unavailable what="API tokens">
          <p className="muted small">
            On this machine the CLI works on the local database directly: npx throughline --help.
          </p>
        </Unavailable>
      ) : (
        <>
          {created?.token ? (
            <div className="notice" role="status">
              <p>Copy this token now; it is not shown again:</p>
              <code className="token">{created.token}</code>
            </div>
          ) : null}
          {tokens.filter((t) => !t.revokedAt).length === 0 ? (
            <p className="muted">No tokens yet.</p>
          ) : (
            <ul className="plain-list">
              {tokens
                .filter((t) => !t.revokedAt)
                .map((t) => (
                  <li key={t.id} className="row-between">
                    <span>
                      <strong>{t.name}</strong> <code className="small">{t.prefix}…</code>{" "}
                      <span className="muted small">
                        · created {fullDay(t.createdAt)}
                        {t.lastUsedAt ? ` · last used ${fullDay(t.lastUsedAt)}` : " · never used"}
                      </span>
                    </span>
                    <button type="button" className="button secondary small" onClick={() => void revoke(t)}>
                      Revoke<span className="visually-hidden"> {t.name}</span>
                    </button>
                  </li>
                ))}
            </ul>
          )}
          <form className="inline-form" onSubmit={(e) => void create(e)}>
            <div className="field">
              <label htmlFor={`${id}-name`}>Token name</label>
              <input id={`${id}-name`} name="name" required maxLength={100} placeholder="Laptop CLI" />
            </div>
            <button type="submit" className="button secondary small">
              Create a token
            </button>
          </form>
        </>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </SettingsCard>
  );
}
