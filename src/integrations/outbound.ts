/**
 * Outgoing HTTP for hooks: a POST that connects only to addresses src/app/webhooks/outbound.ts
 * allows. The host is resolved first, every address it resolves to is checked, and the
 * connection is pinned to those checked addresses (so a name cannot answer differently between
 * the check and the connection); a literal address is checked as it is. Redirects are never
 * followed and the answer's body is never read.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import type { AttemptResult } from "../app/webhooks/deliveries.js";
import { addressRefusal, isIpLiteral, outboundAllowList } from "../app/webhooks/outbound.js";

/** Resolves a host name to its addresses (the system resolver by default; tests pass their own). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, as every Node connection uses). */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** How a POST is made. */
export interface PostOptions {
  timeoutMs: number;
  resolver?: Resolver | undefined;
}

class Refused extends Error {}

/** The checked addresses of a host, or a Refused error naming the first one not allowed. */
async function checkedAddresses(host: string, resolver: Resolver): Promise<LookupAddress[]> {
  const allow = outboundAllowList();
  const bare = host.replace(/^\[|\]$/g, "");
  if (isIpLiteral(bare)) {
    const why = addressRefusal(bare, allow);
    if (why) throw new Refused(`Refused: ${why}`);
    return [{ address: bare, family: bare.includes(":") ? 6 : 4 }];
  }
  const addresses = await resolver(bare);
  if (addresses.length === 0) throw new Error(`${bare} has no address.`);
  for (const a of addresses) {
    const why = addressRefusal(a.address, allow);
    if (why) throw new Refused(`Refused: ${bare} resolves to ${why}`);
  }
  return addresses;
}

/**
 * POSTs JSON and reports the status or the failure; never throws, never follows redirects, and
 * never keeps the answer's body (an error says only its status). A refused address is reported
 * with `refused: true`, so the delivery fails at once rather than retrying.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<AttemptResult> {
  const { timeoutMs } = options;
  let timer: NodeJS.Timeout | undefined;
  let current: ReturnType<typeof httpRequest> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Error(`No answer within ${timeoutMs} ms`);
      e.name = "TimeoutError";
      current?.destroy(e);
      reject(e);
    }, timeoutMs);
  });
  try {
    const u = new URL(url);
    // A rejection after the deadline won is expected; nobody else waits for it.
    const work = (async () => {
      const addresses = await checkedAddresses(u.hostname, options.resolver ?? systemResolver);
      const payload = Buffer.from(body, "utf8");
      const pinned: RequestOptions["lookup"] = (_host, opts, cb) => {
        const all = (opts as { all?: boolean }).all;
        const first = addresses[0] as LookupAddress;
        if (all) (cb as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else cb(null, first.address, first.family);
      };
      return new Promise<number>((resolve, reject) => {
        const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(
          u,
          {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "user-agent": "Throughline-Hooks/1",
              "content-length": String(payload.length),
              ...headers,
            },
            lookup: pinned,
            agent: false,
          },
          (res) => {
            // The body is never read: only the status counts, and nothing of it is kept.
            res.destroy();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("socket", (socket: Socket) => {
          socket.once("connect", () => {
            const why = socket.remoteAddress ? addressRefusal(socket.remoteAddress) : null;
            if (why) req.destroy(new Refused(`Refused: ${why}`));
          });
        });
        req.on("error", reject);
        current = req;
        req.end(payload);
      });
    })();
    work.catch(() => {});
    const status = await Promise.race([work, deadline]);
    const ok = status >= 200 && status < 300;
    return { statusCode: status, error: ok ? null : `HTTP ${status}` };
  } catch (e) {
    if (e instanceof Refused) return { statusCode: null, error: e.message, refused: true };
    const err = e as Error & { code?: string };
    return { statusCode: null, error: err.name === "TimeoutError" ? err.message : (err.code ?? err.message) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
