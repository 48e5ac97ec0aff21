/**
 * A real SMTP server on 127.0.0.1 for tests (smtp-server), keeping every message that arrived,
 * parsed (mailparser), so a test checks what a person would actually receive.
 */
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A running test SMTP server. */
export interface TestSmtp {
  /** smtp://127.0.0.1:<port> */
  url: string;
  /** Messages that arrived, in order. */
  messages: ParsedMail[];
  /** Refuse every message with a temporary error until set back to false. */
  refuse: boolean;
  /** Waits until at least `n` messages arrived (or times out). */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** Starts an SMTP server on a free port of 127.0.0.1. */
export async function startSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      if (state.refuse) {
        stream.resume();
        stream.on("end", () => {
          const err = new Error("Try again later") as Error & { responseCode: number };
          err.responseCode = 451;
          callback(err);
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch((e: unknown) => callback(e as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get refuse() {
      return state.refuse;
    },
    set refuse(v: boolean) {
      state.refuse = v;
    },
    async waitFor(n, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (messages.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
