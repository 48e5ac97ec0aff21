/**
 * Which addresses Throughline's outgoing requests (webhooks, Slack and Teams channels) may reach:
 * public unicast addresses only, unless the owner allow-lists others in THROUGHLINE_OUTBOUND_ALLOW
 * (addresses or CIDR ranges, comma-separated). Checked on a URL's host when it is saved and on the
 * resolved address of every connection when it is sent (src/integrations/outbound.ts).
 */
import * as ipaddrModule from "ipaddr.js";

// ipaddr.js is CommonJS with `export =`: Node's ESM loader sees only a default export, bundlers
// and the types see the namespace; take whichever is there.
const ipaddr: typeof ipaddrModule =
  (ipaddrModule as unknown as { default?: typeof ipaddrModule }).default ?? ipaddrModule;

/** The environment variable that lists allowed private addresses. */
export const OUTBOUND_ALLOW_ENV = "THROUGHLINE_OUTBOUND_ALLOW";

type Range = [ipaddrModule.IPv4 | ipaddrModule.IPv6, number];

/** A parsed allow-list: addresses and ranges outgoing requests may reach although not public. */
export interface AllowList {
  ranges: Range[];
  /** As written, for messages. */
  text: string;
}

/** The allow-list text read, or every entry that is not an address or CIDR range. */
export type AllowListReading = { ok: true; list: AllowList } | { ok: false; problems: string[] };

/** Parses "127.0.0.1, ::1, 10.0.0.0/8" (addresses or CIDR ranges, comma-separated). */
export function parseAllowList(text: string | undefined): AllowListReading {
  const ranges: Range[] = [];
  const problems: string[] = [];
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim().replace(/^\[|\]$/g, "");
    if (!entry) continue;
    try {
      if (entry.includes("/")) ranges.push(ipaddr.parseCIDR(entry));
      else {
        const a = ipaddr.parse(entry);
        ranges.push([a, a.kind() === "ipv4" ? 32 : 128]);
      }
    } catch {
      problems.push(
        `${OUTBOUND_ALLOW_ENV} entry '${entry}' is not an IP address or CIDR range. Write addresses or ranges separated by commas, e.g. ${OUTBOUND_ALLOW_ENV}=127.0.0.1,::1 or 10.20.0.0/16.`,
      );
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, list: { ranges, text: text ?? "" } };
}

let cached: { text: string | undefined; list: AllowList } | undefined;

/**
 * The allow-list in force, read from THROUGHLINE_OUTBOUND_ALLOW (the server checks it at start-up,
 * src/server/config.ts; an entry that does not parse is ignored here, never widened).
 */
export function outboundAllowList(env: Record<string, string | undefined> = process.env): AllowList {
  const text = env[OUTBOUND_ALLOW_ENV];
  if (cached && cached.text === text) return cached.list;
  const reading = parseAllowList(
    (text ?? "")
      .split(",")
      .filter((e) => parseAllowList(e).ok)
      .join(","),
  );
  const list = reading.ok ? reading.list : { ranges: [], text: "" };
  cached = { text, list };
  return list;
}

const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address (this machine)",
  private: "a private network address",
  linkLocal: "a link-local address (such as the cloud metadata service)",
  unspecified: "the unspecified address (this machine)",
  carrierGradeNat: "a carrier-grade NAT address",
  uniqueLocal: "a unique-local (private) IPv6 address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  reserved: "a reserved address",
};

/** Normalises an address: an IPv4-mapped IPv6 address is its IPv4 address. */
function normalised(address: string): ipaddrModule.IPv4 | ipaddrModule.IPv6 | null {
  try {
    const a = ipaddr.parse(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
    if (a.kind() === "ipv6" && (a as ipaddrModule.IPv6).isIPv4MappedAddress()) {
      return (a as ipaddrModule.IPv6).toIPv4Address();
    }
    return a;
  } catch {
    return null;
  }
}

/** True when `address` (text) is an IP address, in any form ipaddr.js reads. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ""));
}

/**
 * Why an outgoing request may not connect to `address`, or null when it may: it is public
 * unicast, or inside the allow-list. Everything else — loopback, private, link-local,
 * unspecified, carrier-grade NAT, unique-local, IPv4-mapped forms of those, 6to4/Teredo and other
 * special ranges — is refused.
 */
export function addressRefusal(address: string, allow: AllowList = outboundAllowList()): string | null {
  const raw = address.replace(/^\[|\]$/g, "");
  const a = normalised(raw);
  if (!a) return `'${address}' is not an IP address.`;
  const candidates = [a];
  const original = (() => {
    try {
      return ipaddr.parse(raw);
    } catch {
      return a;
    }
  })();
  if (original.kind() !== a.kind()) candidates.push(original);
  for (const c of candidates) {
    for (const [net, bits] of allow.ranges) {
      if (c.kind() === net.kind() && c.match([net, bits] as never)) return null;
    }
  }
  const range = a.range();
  if (range === "unicast") return null;
  const what = RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
  return `${raw} is ${what}. Throughline sends only to public addresses; to allow this one, the server's administrator sets ${OUTBOUND_ALLOW_ENV}=${a.toString()} (docs/deploy.md).`;
}

/** True for names that always mean this machine (RFC 6761): localhost, localhost., *.localhost. */
export function isLocalhostName(host: string): boolean {
  return /(^|\.)localhost\.?$/i.test(host);
}

/**
 * Why a hook URL's host may not be saved, or null: a literal IP address is checked as at send
 * time, and "localhost" as 127.0.0.1. Other names are checked on every send, once resolved.
 */
export function hostRefusal(host: string, allow: AllowList = outboundAllowList()): string | null {
  const bare = host.replace(/^\[|\]$/g, "");
  if (isLocalhostName(bare)) {
    const v4 = addressRefusal("127.0.0.1", allow);
    const v6 = addressRefusal("::1", allow);
    if (v4 === null || v6 === null) return null;
    return `${bare} is this machine. Throughline sends only to public addresses; to allow it, the server's administrator sets ${OUTBOUND_ALLOW_ENV}=127.0.0.1,::1 (docs/deploy.md).`;
  }
  if (isIpLiteral(bare)) return addressRefusal(bare, allow);
  return null;
}

/** True when the host is allowed although private (it is a literal or localhost on the allow-list). */
export function isAllowListedHost(host: string, allow: AllowList = outboundAllowList()): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (!isLocalhostName(bare) && !isIpLiteral(bare)) return false;
  if (hostRefusal(bare, allow) !== null) return false;
  const a = isLocalhostName(bare) ? normalised("127.0.0.1") : normalised(bare);
  return a !== null && a.range() !== "unicast";
}
