/**
 * Settings: my values, where and when nudges reach me (GET/PATCH /api/settings), and API tokens
 * (/api/tokens). On a server without /api/settings the values known from the session and the goals
 * are shown, and editing says it is unavailable.
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
];

/**
 * Where my nudges go. Only channels this server can deliver on are offered (`available` in the
 * settings answer): email only when it sends email; Slack and Teams are team channels, connected on
 * the Integrations page, so they are explained rather than ticked here.
 */
function ChannelsCard({ settings }: { settings: Settings | null }) {
  const { session } = useSession();
  const [channels, setChannels] = useState(settings?.channels ?? null);
  const [error, setError] = useState<ApiError | null>(null);
  // An older server does not say; then only the inbox is sure to work.
  const available = settings?.available ?? { inbox: true, email: false, slack: false, teams: false };
  const offered = CHANNELS.filter((c) => available[c.key]);

  async function toggle(key: keyof Settings["channels"], on: boolean) {
    if (!channels) return;
    const before = channels;
    setChannels({ ...channels, [key]: on });
    setError(null);
    try {
      const s = await api.settings.update({ channels: { [key]: on } });
      setChannels(s.channels);
    } catch (err) {
      setChannels(before);
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
      {error ? <ErrorNotice error={error} /> : null}
    </SettingsCard>
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
