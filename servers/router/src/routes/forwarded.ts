import { Readable } from "node:stream";
import { eventParamSchema } from "@rushgate/api";
import { ACTOR_HEADER, type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import type { RouterDeps } from "../app";
import { identify } from "../identity";
import { call, callStream, type Upstream, type UpstreamRequest } from "../upstream";

/**
 * Passes the request on as it is (method, path, query, body) with the caller's identity resolved
 * to `X-User-Id` and, for an admin call, who the admin is as the router's signed word (the token
 * itself is not passed on; a client's own actor header never is), and status, body and content
 * type back unchanged.
 */
async function forward(
  c: Context<AppEnv>,
  deps: Pick<RouterDeps, "adminAuth">,
  upstream: Upstream,
  userId?: string,
): Promise<Response> {
  const res = await call(upstream, upstreamRequest(c, deps, await readBody(c), userId), c.get("log"));
  // The coupon server has written the audit entry of an admin call it answered.
  if (c.get("admin")) c.set("auditRecorded", true);
  // c.body keeps what middleware set on the context (the request id).
  if (res.status === 204) return c.body(null, 204 as StatusCode, res.headers);
  return c.body(res.body as Uint8Array<ArrayBuffer>, res.status as ContentfulStatusCode, res.headers);
}

/** As `forward`, but the answer's body is passed on as it arrives, never held whole (an export). */
async function forwardStreaming(
  c: Context<AppEnv>,
  deps: Pick<RouterDeps, "adminAuth">,
  upstream: Upstream,
): Promise<Response> {
  const res = await callStream(upstream, upstreamRequest(c, deps, await readBody(c)), c.get("log"));
  if (c.get("admin")) c.set("auditRecorded", true);
  const stream = Readable.toWeb(res.body) as ReadableStream<Uint8Array>;
  return c.body(stream, res.status as ContentfulStatusCode, res.headers);
}

async function readBody(c: Context<AppEnv>): Promise<Buffer | undefined> {
  return c.req.method === "GET" ? undefined : Buffer.from(await c.req.arrayBuffer());
}

function upstreamRequest(
  c: Context<AppEnv>,
  deps: Pick<RouterDeps, "adminAuth">,
  body: Buffer | undefined,
  userId?: string,
): UpstreamRequest {
  const headers: Record<string, string> = { "x-request-id": c.get("requestId") };
  if (userId) headers["x-user-id"] = userId;
  const admin = c.get("admin");
  if (admin) headers[ACTOR_HEADER] = deps.adminAuth.assertion(admin);
  const authorization = c.req.header("authorization");
  if (authorization && !admin) headers.authorization = authorization;
  const contentType = c.req.header("content-type");
  if (contentType) headers["content-type"] = contentType;
  const method = c.req.method as "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  const url = c.req.url;
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  return { method, path, headers, body };
}

/**
 * The coupon server's routes that the router passes on. It validates ids and identity first, so
 * a bad request is answered here without costing an upstream hop, and checks the admin token too.
 */
export function registerForwarded(app: Hono<AppEnv>, deps: RouterDeps) {
  const event = validate("param", eventParamSchema);
  const toCoupon = (c: Context<AppEnv>) => forward(c, deps, deps.coupon, c.get("userId"));

  app.get("/api/events", toCoupon);
  app.get("/api/events/:eventId", event, toCoupon);
  app.get("/api/me/coupons", identify(deps.identity, deps.budgets.coupons), toCoupon);

  const admin = requireAdmin();
  app.post("/admin/api/events", admin, toCoupon);
  // Kill switches (issue 13.1): the coupon server keeps them in MySQL and fans them out in Redis.
  app.get("/admin/api/switches", admin, toCoupon);
  app.put("/admin/api/switches", admin, toCoupon);
  app.get("/admin/api/events/:eventId/switches", admin, event, toCoupon);
  app.put("/admin/api/events/:eventId/switches", admin, event, toCoupon);
  app.post("/admin/api/events/:eventId/end", admin, event, toCoupon);
  app.get("/admin/api/events/:eventId/admissions", admin, event, (c) =>
    forwardStreaming(c, deps, deps.coupon),
  );
  // Live settings, scheduled changes and their preview (issue 13).
  app.patch("/admin/api/events/:eventId", admin, event, toCoupon);
  app.on(["GET", "POST"], "/admin/api/events/:eventId/changes", admin, event, toCoupon);
  app.delete("/admin/api/events/:eventId/changes/:changeId", admin, toCoupon);
  app.post("/admin/api/events/:eventId/preview", admin, event, toCoupon);
  app.post("/admin/api/tokens", admin, toCoupon);
  app.get("/admin/api/tokens", admin, toCoupon);
  app.delete("/admin/api/tokens/:name", admin, toCoupon);
  app.get("/admin/api/audit", admin, toCoupon);
  app.get("/admin/api/events/:eventId/stats", admin, event, async (c) => {
    const { eventId } = c.req.valid("param");
    const res = await toCoupon(c);
    if (res.status !== 200) return res;
    // The coupon server read live RPM from Redis; this router adds the entries it has counted
    // but not flushed yet.
    const stats = (await res.json()) as Record<string, unknown>;
    return c.json({ ...stats, liveRpm: Number(stats.liveRpm ?? 0) + deps.gate.unflushed(eventId) });
  });
}
