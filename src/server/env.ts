/** The Hono environment shared by every route: the app context and the acting user. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Actor, AppContext } from "../app/context.js";
import { fromZod } from "../app/errors.js";
import type { RequestMeta } from "../app/people/accounts.js";
import type { Limits } from "../app/people/ratelimit.js";
import type { Mailer } from "../integrations/email.js";

/** Variables every request carries. */
export type Env = {
  Variables: {
    ctx: AppContext;
    actor: Actor;
    meta: RequestMeta;
    limits: Limits;
    /** The session's CSRF token when the caller uses a session cookie. */
    csrfToken: string;
    /** Which channels this server can send a person's nudges on (HttpOptions.email). */
    delivery: { email: boolean };
    /** How this server sends account email (password resets): null without SMTP. */
    accountMail: { mailer: Mailer | null; publicUrl: string };
  };
};

/** A router whose validation failures become our error format (400, naming each field). */
export function router(): OpenAPIHono<Env> {
  return new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error);
    },
  });
}
