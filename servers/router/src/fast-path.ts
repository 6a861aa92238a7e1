import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { incomingRequest } from "@rushgate/identity";
import type { FastPath } from "@rushgate/service";
import type { RouterDeps } from "./app";
import type { Budget } from "./rate-limit";
import type { Upstream } from "./upstream";

const PASSED = ["content-type", "retry-after", "cache-control"] as const;

interface Route {
  method: "GET" | "POST";
  path: RegExp;
  /** The route's name in metrics, as the app would label it. */
  label: string;
  upstream: Upstream;
  budget: Budget;
}

// Request ids for requests that came without one: unique per process, cheaper than a UUID each.
const idPrefix = `${process.pid.toString(36)}-${randomUUID().slice(0, 8)}-`;
let idSeq = 0;
const nextId = () => `${idPrefix}${(++idSeq).toString(36)}`;

/** No body: an issue carries its token in a header; anything with a body goes through the app. */
function bodiless(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0");
}

/**
 * The two requests of a rush that the router only passes on — the status poll (every waiting
 * user, every 300 ms) and the issue — on Node's request and response rather than through hono.
 * Taken only in their plain form: a valid id, an identity the app would accept (SPEC §2) carried
 * in headers, no body, within the rate limits.
 * A browser (cookie identity), a malformed request or a refused one goes through the app as
 * usual, which answers it (and its errors) the same way. No Redis call, like the app's path.
 */
export function createFastPath(deps: RouterDeps): FastPath {
  const routes: Route[] = [
    {
      method: "GET",
      path: /^\/api\/queue\/[1-9][0-9]{0,14}\/status(?:\?|$)/,
      label: "/api/queue/:eventId/status",
      upstream: deps.waitingRoom,
      budget: deps.budgets.status,
    },
    {
      method: "POST",
      path: /^\/api\/events\/[1-9][0-9]{0,14}\/issue(?:\?|$)/,
      label: "/api/events/:eventId/issue",
      upstream: deps.coupon,
      budget: deps.budgets.issue,
    },
  ];
  const timers = new Map<string, { observe(seconds: number): void }>();
  const observe = (route: Route, status: number, started: number) => {
    const key = `${route.label} ${status}`;
    let timer = timers.get(key);
    if (!timer) {
      timer = deps.metrics.httpDuration.labels(route.method, route.label, String(status));
      timers.set(key, timer);
    }
    timer.observe((performance.now() - started) / 1000);
  };

  return function fastPath(req, res) {
    const url = req.url;
    if (url === undefined) return false;
    const route = routes.find((r) => r.method === req.method && r.path.test(url));
    if (!route || !bodiless(req)) return false;
    // A browser (cookies) goes through the app, which also turns its admission cookie into
    // Authorization; so does any identity the resolver cannot vouch for at once (SPEC §2).
    if (req.headers.cookie !== undefined) return false;
    const user = deps.identity.peek(incomingRequest(req));
    if (user === undefined) return false;
    const forwardedFor = req.headers["x-forwarded-for"];
    const ip = deps.identity.address(
      typeof forwardedFor === "string" ? forwardedFor : undefined,
      req.socket.remoteAddress,
    );
    // Over budget: let the app spend (and refuse) again and answer 429 with Retry-After.
    if (route.budget(ip, user) > 0) return false;

    const started = performance.now();
    const requestId = req.headers["x-request-id"];
    const headers: Record<string, string> = {
      "x-user-id": user,
      "x-request-id": typeof requestId === "string" && requestId.length <= 64 ? requestId : nextId(),
    };
    const authorization = req.headers.authorization;
    if (authorization) headers.authorization = authorization;
    // dispatch() with a handler: answers are a few hundred bytes, so collecting their chunks
    // directly is cheaper than a body stream per request.
    const chunks: Buffer[] = [];
    let code = 502;
    const out: Record<string, string> = { "x-request-id": headers["x-request-id"] as string };
    route.upstream.pool.dispatch(
      { method: route.method, path: url, headers },
      {
        // Its presence tells undici this handler speaks the controller-based API.
        onRequestStart() {},
        onResponseStart(_controller, statusCode, upstreamHeaders) {
          code = statusCode;
          for (const name of PASSED) {
            const value = upstreamHeaders[name];
            if (typeof value === "string") out[name] = value;
          }
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          res.writeHead(code, out);
          res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
          observe(route, code, started);
        },
        onResponseError(_controller, err) {
          const name = route.upstream.name;
          deps.logger.warn(
            { err, upstream: name, requestId: headers["x-request-id"] },
            "upstream unreachable",
          );
          if (!res.headersSent) {
            res.writeHead(503, { "content-type": "application/json" });
            res.end(
              JSON.stringify({
                error: { code: "service_unavailable", message: `${name} is unavailable, try again shortly` },
              }),
            );
          } else res.destroy();
          observe(route, 503, started);
        },
      },
    );
    return true;
  };
}
