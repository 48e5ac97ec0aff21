/**
 * The API's body limit, reading the body straight from Node's request where it can (issue 17,
 * http21). Hono's `bodyLimit` looks at `c.req.raw.body` on every request, and on @hono/node-server
 * that turns the light request into a whole web `Request` (an AbortController, headers, a web
 * stream over the socket) — on every GET too, whose body is always empty there. The check-in then
 * read its JSON through that stream. Here a GET or HEAD passes untouched, and a body that says its
 * Content-Length is refused above the limit before a byte is read, else read from the socket once
 * and put in Hono's body cache, where the validator, the Idempotency-Key check and the routes find
 * it. Anything else (a chunked body, no Node request, as under `app.request`) goes through
 * `bodyLimit` as before.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** The part of Node's IncomingMessage this reads. */
interface NodeIncoming {
  headers: Record<string, string | string[] | undefined>;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (e: Error) => void): unknown;
  readonly readableEnded: boolean;
}

/** As a web `Request`'s `text()` decodes: UTF-8, a leading BOM dropped, bad bytes replaced. */
const decoder = new TextDecoder();

/** Every byte of the request body, as sent (at most Content-Length bytes: Node's parser stops there). */
function readAll(incoming: NodeIncoming): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    incoming.on("end", () => {
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      resolve(bytes);
    });
    incoming.on("error", reject);
    // The client went away mid-body: nothing more will come.
    incoming.on("close", () => {
      if (!incoming.readableEnded) reject(new Error("The request body was cut short."));
    });
  });
}

/** Node's request under a Hono context (@hono/node-server's `c.env.incoming`), if it is one. */
function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: Partial<NodeIncoming> } | undefined)?.incoming;
  return incoming && typeof incoming.on === "function" && typeof incoming.headers === "object"
    ? (incoming as NodeIncoming)
    : undefined;
}

/**
 * Refuses a body above `maxSize` bytes with `onError`, like Hono's `bodyLimit`, and reads the body
 * at most once, from Node's request when there is one (see the file's comment).
 */
export function bodyLimitDirect(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const fallback = bodyLimit(options);
  return async (c, next) => {
    const method = c.req.method;
    // No body on these (@hono/node-server gives them none; fetch forbids one).
    if (method === "GET" || method === "HEAD") return next();
    const incoming = nodeIncoming(c);
    const length = incoming?.headers["content-length"];
    if (!incoming || typeof length !== "string" || incoming.headers["transfer-encoding"] !== undefined)
      return fallback(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    const read = readAll(incoming);
    // Both forms a reader asks for, so neither is made again from the other through a Response.
    const bytes = read.then((b) => b.buffer as ArrayBuffer);
    const text = read.then((b) => decoder.decode(b));
    // A body cut short fails the reader that awaits it (as the web stream did), not the process.
    bytes.catch(() => {});
    text.catch(() => {});
    // Hono's type says values; its readers keep (and `.then`) promises there.
    const cache = c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer>; text?: Promise<string> };
    cache.arrayBuffer = bytes;
    cache.text = text;
    return next();
  };
}
