/**
 * The bench's bare baseline: the same shape as the router in front of a server, with nothing else.
 *
 *   node baseline.js back    GET/POST /x runs one EVALSHA of a trivial script and answers JSON
 *   node baseline.js front   GET /status and POST /issue forward over an undici Pool to BACK_URL
 *
 * Configured by PORT, REDIS_URL and BACK_URL (the bench sets them).
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { Redis } from "ioredis";
import { Pool } from "undici";

const port = Number(process.env.PORT ?? 0);

function back(): Hono {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    connectionName: "baseline-back",
  });
  redis.defineCommand("baselineEcho", { numberOfKeys: 0, lua: "return ARGV[1]" });
  const echo = (value: string) =>
    (redis as unknown as { baselineEcho(v: string): Promise<string> }).baselineEcho(value);
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.on(["GET", "POST"], "/x", async (c) => c.json({ status: "ok", value: await echo("1") }));
  return app;
}

function front(): Hono {
  const pool = new Pool(process.env.BACK_URL ?? "", { connections: 128, keepAliveTimeout: 30_000 });
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  const forward = (method: "GET" | "POST") => async () => {
    const res = await pool.request({ method, path: "/x" });
    const body = await res.body.arrayBuffer();
    const type = res.headers["content-type"];
    return new Response(body, {
      status: res.statusCode,
      headers: typeof type === "string" ? { "content-type": type } : {},
    });
  };
  app.get("/status", forward("GET"));
  app.post("/issue", forward("POST"));
  return app;
}

const app = process.argv[2] === "front" ? front() : back();
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
process.on("SIGTERM", () => process.exit(0));
