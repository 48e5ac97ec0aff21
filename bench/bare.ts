/**
 * The ceiling for the HTTP benchmarks: a bare Hono JSON route on @hono/node-server, no database,
 * no middleware. `PORT` picks the port on 127.0.0.1.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.json({ status: "ok" }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" }, (info) => {
  console.log(`bare route on ${info.port}`);
});
