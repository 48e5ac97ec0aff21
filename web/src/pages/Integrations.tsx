/**
 * Integrations: a team's Slack and Microsoft Teams channels (its owners and leaders, and the
 * workspace owner) and the workspace's outgoing webhooks (its owner), each with "Send a test
 * message" and its recent deliveries. People who may not manage them see what they are and who
 * can, and no actions (the API refuses them too).
 */
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import {
  ApiError,
  api,
  type ChannelKind,
  type HookDelivery,
  integrationsApi,
  type TeamChannel,
  type TestDelivery,
  type Webhook,
} from "../api/client.js";
import { useSession } from "../api/session.js";
import { usePageTitle } from "../components/Layout.js";
import { Empty, ErrorNotice, errorSentence, Loading } from "../components/States.js";
import { fullDay } from "../lib/dates.js";
import { ledTeamIds, ownsWorkspace } from "../lib/roles.js";
import { asApiError, useLoad } from "../lib/useLoad.js";
import { timeAgo } from "../lib/words.js";

const KINDS: { kind: ChannelKind; name: string; field: string; hint: string }[] = [
  {
    kind: "slack",
    name: "Slack",
    field: "Slack incoming webhook URL",
    hint: "In Slack: Apps → Incoming Webhooks → Add to a channel, then copy the URL (https://hooks.slack.com/services/…).",
  },
  {
    kind: "teams",
    name: "Microsoft Teams",
    field: "Teams workflow URL",
    hint: 'In Teams: the channel\'s "Workflows" → "Post to a channel when a webhook request is received", then copy its URL.',
  },
];

const EVENTS: { type: string; label: string }[] = [
  { type: "goal.created", label: "A goal is created" },
  { type: "goal.changed", label: "A goal is changed" },
  { type: "checkin.created", label: "Someone checks in" },
  { type: "step.done", label: "A step is done" },
  { type: "goal.stalled", label: "A goal stalls" },
  { type: "commitment.kept", label: "A commitment is kept" },
  { type: "commitment.missed", label: "A commitment is missed" },
];

const EVENT_WORDS: Record<string, string> = {
  "hook.test": "Test message",
  ...Object.fromEntries(EVENTS.map((e) => [e.type, e.label])),
};

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The Integrations page. */
export default function IntegrationsPage() {
  usePageTitle("Integrations");
  const { session } = useSession();
  const owner = ownsWorkspace(session);
  const led = ledTeamIds(session);
  const teams = useLoad(async () => {
    if (owner && session && !session.local) {
      const all = await api.teams.list();
      return all.items.map((t) => ({ id: t.id, name: t.name }));
    }
    return (session?.teams ?? []).filter((t) => led.includes(t.id)).map((t) => ({ id: t.id, name: t.name }));
  }, [owner, led.join(",")]);

  return (
    <section className="page narrow" aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      <p className="muted">
        Tell a team's Slack or Microsoft Teams channel when someone checks in, finishes a step or changes one
        of its goals, when a goal stalls, and when a commitment is kept or missed, each with a link back; and
        send events to your own tools with webhooks.
      </p>
      {!owner && led.length === 0 ? (
        <Empty title="Nothing here for you to manage">
          <p>
            A team's owners and leaders connect its Slack or Teams channel, and the workspace owner adds
            webhooks. Ask your team's leader if your team should hear about stalled goals in its channel.
          </p>
          <p>
            Your own nudges are set in <Link to="/settings">Settings</Link>.
          </p>
        </Empty>
      ) : (
        <div className="stack">
          <h2 className="subhead-lg">Team channels</h2>
          {teams.state === "loading" ? <Loading what="Loading your teams" /> : null}
          {teams.state === "error" ? <ErrorNotice error={teams.error} retry={teams.reload} /> : null}
          {teams.state === "ready" && teams.data.length === 0 ? (
            <Empty title="No teams yet">
              <p>
                Create a team on the <Link to="/team">Team page</Link>, then connect its channel here.
              </p>
            </Empty>
          ) : null}
          {teams.state === "ready" ? teams.data.map((t) => <TeamChannels key={t.id} team={t} />) : null}
          {owner ? <Webhooks /> : null}
        </div>
      )}
    </section>
  );
}

/** A test's outcome in words. */
function testOutcome(t: TestDelivery): { ok: boolean; text: string } {
  if (t.state === "delivered")
    return { ok: true, text: `Test message delivered: the receiver answered ${t.statusCode}.` };
  if (t.state === "pending")
    return { ok: true, text: "Test message on its way; it shows in the deliveries below." };
  return { ok: false, text: `The test message did not arrive: ${failureWords(t.statusCode, t.error)}` };
}

/** Why a delivery failed, for people. */
function failureWords(status: number | null, error: string | null): string {
  if (status !== null) {
    return `the receiver answered ${status}${status === 404 ? " (not found: check the URL)" : status >= 500 ? " (an error on its side)" : ""}. Check the URL and the receiver, then send another test.`;
  }
  if (error && /ECONNREFUSED/.test(error)) {
    return "nothing answered at that address. Check the URL and that the receiver is running, then send another test.";
  }
  if (error && /ENOTFOUND|EAI_AGAIN/.test(error)) {
    return "that host name could not be found. Check the URL, then send another test.";
  }
  if (error && /No answer within/.test(error)) {
    return "the receiver did not answer within 10 seconds. Check that it is up, then send another test.";
  }
  return `it could not be sent (${error ?? "unknown reason"}). Check the URL, then send another test.`;
}

/** One attempt in words: what, when, and how it went. */
function DeliveryRow({ d }: { d: HookDelivery }) {
  const zone = useSession().session?.timeZone;
  const ok = d.statusCode !== null && d.statusCode >= 200 && d.statusCode < 300;
  const state = ok ? "Delivered" : d.state === "pending" ? "Will try again" : "Failed";
  return (
    <li className="delivery">
      <span className={`tag ${ok ? "tag-good" : "tag-warn"}`}>{state}</span>{" "}
      <strong>{EVENT_WORDS[d.eventType] ?? d.eventType}</strong>{" "}
      <span className="muted small">
        · <time dateTime={d.attemptedAt}>{timeAgo(d.attemptedAt, zone)}</time>
        {d.attempt > 1 ? ` · attempt ${d.attempt}` : ""}
        {ok
          ? ` · answered ${d.statusCode}`
          : ` · ${d.statusCode !== null ? `answered ${d.statusCode}` : (d.error ?? "no answer")}`}
        {!ok && d.nextAttemptAt ? ` · next try ${timeAgo(d.nextAttemptAt, zone)}` : ""}
      </span>
    </li>
  );
}

/** The recent deliveries of one hook, or what an empty log means. */
function Deliveries({ items, label }: { items: HookDelivery[]; label: string }) {
  if (items.length === 0)
    return <p className="muted small">Nothing sent yet. Send a test message to try it.</p>;
  return (
    <ul className="plain-list deliveries" aria-label={label}>
      {items.map((d) => (
        <DeliveryRow key={d.id} d={d} />
      ))}
    </ul>
  );
}

/** A button that sends a test, then shows its outcome and asks the parent to reload the log. */
function TestButton({
  send,
  label,
  after,
}: {
  send: () => Promise<TestDelivery>;
  label: string;
  after: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  async function run() {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(testOutcome(await send()));
      after();
    } catch (e) {
      setOutcome({ ok: false, text: errorSentence(asApiError(e)) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="button secondary small" disabled={busy} onClick={() => void run()}>
        {busy ? "Sending…" : "Send a test message"}
        <span className="visually-hidden"> to {label}</span>
      </button>
      {outcome ? (
        <p role="status" className={`test-outcome ${outcome.ok ? "small" : "inline-error"}`}>
          {outcome.text}
        </p>
      ) : null}
    </>
  );
}

function TeamChannels({ team }: { team: { id: number; name: string } }) {
  const id = useId();
  const load = useLoad(() => integrationsApi.channels(team.id), [team.id]);
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{team.name}</h3>
      {load.state === "loading" ? <Loading what="Loading channels" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready"
        ? KINDS.map((k) => (
            <ChannelRow
              key={k.kind}
              team={team}
              kind={k}
              channel={load.data.items.find((c) => c.kind === k.kind) ?? null}
              reload={load.reload}
            />
          ))
        : null}
    </section>
  );
}

function ChannelRow({
  team,
  kind,
  channel,
  reload,
}: {
  team: { id: number; name: string };
  kind: (typeof KINDS)[number];
  channel: TeamChannel | null;
  reload: () => void;
}) {
  const id = useId();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const log = useLoad(
    () =>
      channel
        ? integrationsApi.channelDeliveries(team.id, kind.kind)
        : Promise.resolve({ items: [], nextCursor: null }),
    [channel?.updatedAt, tick],
  );

  async function change(run: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await run();
      reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  function connect(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const url = String(new FormData(e.currentTarget).get("url") ?? "").trim();
    void change(() => integrationsApi.connect(team.id, kind.kind, url));
  }

  const where = `${team.name}'s ${kind.name} channel`;
  return (
    <div className="channel">
      <h4 id={`${id}-k`} className="row-between">
        <span>{kind.name}</span>
        {channel ? (
          <span className="tag tag-good">Connected</span>
        ) : (
          <span className="tag">Not connected</span>
        )}
      </h4>
      {channel ? (
        <>
          <p className="small muted">
            Posting to <code>{channel.url}</code> since {fullDay(channel.updatedAt)}.
          </p>
          <div className="actions">
            <TestButton
              label={where}
              send={() => integrationsApi.testChannel(team.id, kind.kind)}
              after={() => setTick((t) => t + 1)}
            />
            <button
              type="button"
              className="button link small"
              disabled={busy}
              onClick={() => void change(() => integrationsApi.disconnect(team.id, kind.kind))}
            >
              Disconnect<span className="visually-hidden"> {where}</span>
            </button>
          </div>
          <h5 className="small">Recent deliveries</h5>
          {log.state === "ready" ? (
            <Deliveries items={log.data.items} label={`Recent deliveries to ${where}`} />
          ) : null}
          {log.state === "error" ? <ErrorNotice error={log.error} retry={log.reload} /> : null}
        </>
      ) : (
        <form className="form" onSubmit={connect}>
          <div className="field">
            <label htmlFor={`${id}-url`}>{kind.field}</label>
            <input
              id={`${id}-url`}
              name="url"
              type="url"
              required
              placeholder="https://"
              autoComplete="off"
            />
            <p className="muted small">{kind.hint}</p>
          </div>
          <div className="actions">
            <button type="submit" className="button secondary small" disabled={busy}>
              Connect {kind.name}
              <span className="visually-hidden"> for {team.name}</span>
            </button>
          </div>
        </form>
      )}
      {error ? <ErrorNotice error={error} title={`${kind.name} was not connected`} /> : null}
    </div>
  );
}

function Webhooks() {
  const id = useId();
  const load = useLoad(() => integrationsApi.webhooks(), []);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const events = f.getAll("events").map(String);
    setError(null);
    if (events.length === 0) {
      setError(
        new ApiError(400, "events_required", "Tick at least one event for the webhook to hear about."),
      );
      return;
    }
    setBusy(true);
    try {
      const made = await integrationsApi.createWebhook({
        url: String(f.get("url") ?? "").trim(),
        events: events as Parameters<typeof integrationsApi.createWebhook>[0]["events"],
      });
      setSecret({ url: made.url, secret: made.secret });
      form.reset();
      load.reload();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="stack" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="subhead-lg">
        Webhooks
      </h2>
      <p className="muted small">
        Each event is POSTed as JSON, signed with the webhook's secret in the X-Throughline-Signature header
        (HMAC-SHA256). Failed deliveries are retried for six hours.
      </p>
      {secret ? (
        <div className="notice" role="status">
          <p>
            Webhook added for <code>{secret.url}</code>. Copy its signing secret now; it is not shown again:
          </p>
          <code className="token">{secret.secret}</code>
        </div>
      ) : null}
      {load.state === "loading" ? <Loading what="Loading webhooks" /> : null}
      {load.state === "error" ? <ErrorNotice error={load.error} retry={load.reload} /> : null}
      {load.state === "ready" && load.data.items.length === 0 ? (
        <p className="muted">No webhooks yet.</p>
      ) : null}
      {load.state === "ready"
        ? load.data.items.map((w) => <WebhookCard key={w.id} hook={w} reload={load.reload} />)
        : null}
      <section className="card" aria-labelledby={`${id}-add`}>
        <h3 id={`${id}-add`}>Add a webhook</h3>
        <form className="form" onSubmit={(e) => void create(e)}>
          <div className="field">
            <label htmlFor={`${id}-url`}>Receiver URL</label>
            <input
              id={`${id}-url`}
              name="url"
              type="url"
              required
              placeholder="https://"
              autoComplete="off"
            />
            <p className="muted small">
              An https address of your tool (plain http only to this machine, for testing).
            </p>
          </div>
          <fieldset className="checks plain-fieldset">
            <legend>Send it when</legend>
            {EVENTS.map((e) => (
              <label key={e.type} className="check">
                <input
                  type="checkbox"
                  name="events"
                  value={e.type}
                  defaultChecked={e.type === "goal.stalled"}
                />{" "}
                {e.label}
              </label>
            ))}
          </fieldset>
          {error ? <ErrorNotice error={error} title="The webhook was not added" /> : null}
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Adding…" : "Add the webhook"}
            </button>
          </div>
        </form>
      </section>
    </section>
  );
}

function WebhookCard({ hook, reload }: { hook: Webhook; reload: () => void }) {
  const id = useId();
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const log = useLoad(() => integrationsApi.deliveries(hook.id), [hook.id, tick]);
  const label = `the webhook to ${hook.url}`;

  async function remove() {
    setError(null);
    try {
      await integrationsApi.deleteWebhook(hook.id);
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="break">
        {hook.url}
      </h3>
      <p className="small muted">
        Sends when {hook.events.map((e) => lowerFirst(EVENT_WORDS[e] ?? e)).join(", ")} · added{" "}
        {fullDay(hook.createdAt)}
      </p>
      <div className="actions">
        <TestButton
          label={label}
          send={() => integrationsApi.testWebhook(hook.id)}
          after={() => setTick((t) => t + 1)}
        />
        <button type="button" className="button link small" onClick={() => void remove()}>
          Delete<span className="visually-hidden"> {label}</span>
        </button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <h4 className="small">Recent deliveries</h4>
      {log.state === "loading" ? <Loading what="Loading deliveries" /> : null}
      {log.state === "error" ? <ErrorNotice error={log.error} retry={log.reload} /> : null}
      {log.state === "ready" ? (
        <Deliveries items={log.data.items} label={`Recent deliveries to ${hook.url}`} />
      ) : null}
    </section>
  );
}
