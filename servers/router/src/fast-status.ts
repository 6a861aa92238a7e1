import { randomUUID } from "node:crypto";
import type { FastPath } from "@rushgate/service";
import type { RouterDeps } from "./app";
import { clientAddress } from "./rate-limit";

const STATUS_PATH = /^\/api\/queue\/[1-9][0-9]{0,14}\/status(?:\?|$)/;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROUTE = "/api/queue/:eventId/status";
const PASSED = ["content-type", "retry-after", "cache-control"] as const;
const UNAVAILABLE = JSON.stringify({
  error: { code: "service_unavailable", message: "waiting-room is unavailable, try again shortly" },
});

// Request ids for polls that came without one: unique per process, cheaper than a UUID each.
const idPrefix = `${process.pid.toString(36)}-${randomUUID().slice(0, 8)}-`;
let idSeq = 0;
const nextId = () => `${idPrefix}${(++idSeq).toString(36)}`;

/**
 * The status poll, on Node's request and response rather than through hono: it is most of the
 * traffic of a rush (every waiting user, every 300 ms) and the router only passes it on. Taken
 * only in its plain form — GET, a valid id, a valid X-User-Id, within the rate limits; a browser
 * (cookie identity), a malformed request or a refused one goes through the app as usual, which
 * answers it (and its errors) the same way. Costs no Redis call, like the app's path.
 */
export function createStatusFastPath(deps: RouterDeps): FastPath {
  const timers = new Map<number, { observe(seconds: number): void }>();
  const observe = (status: number, started: number) => {
    let timer = timers.get(status);
    if (!timer) {
      timer = deps.metrics.httpDuration.labels("GET", ROUTE, String(status));
      timers.set(status, timer);
    }
    timer.observe((performance.now() - started) / 1000);
  };

  return function statusFastPath(req, res) {
    const url = req.url;
    if (req.method !== "GET" || url === undefined || !STATUS_PATH.test(url)) return false;
    const user = req.headers["x-user-id"];
    if (typeof user !== "string" || !USER_ID.test(user)) return false;
    const forwardedFor = req.headers["x-forwarded-for"];
    const ip = clientAddress(
      typeof forwardedFor === "string" ? forwardedFor : undefined,
      req.socket.remoteAddress,
      deps.env.TRUST_PROXY,
    );
    // Over budget: let the app spend (and refuse) again and answer 429 with Retry-After.
    if (deps.budgets.status(ip, user) > 0) return false;

    const started = performance.now();
    const requestId = req.headers["x-request-id"];
    const headers = {
      "x-user-id": user,
      "x-request-id": typeof requestId === "string" && requestId.length <= 64 ? requestId : nextId(),
    };
    // dispatch() with a handler: the answer is a few hundred bytes, so collecting its chunks
    // directly is cheaper than a body stream per poll.
    const chunks: Buffer[] = [];
    let code = 502;
    const out: Record<string, string> = { "x-request-id": headers["x-request-id"] };
    deps.waitingRoom.pool.dispatch(
      { method: "GET", path: url, headers },
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
          observe(code, started);
        },
        onResponseError(_controller, err) {
          deps.logger.warn(
            { err, upstream: "waiting-room", requestId: headers["x-request-id"] },
            "upstream unreachable",
          );
          if (!res.headersSent) {
            res.writeHead(503, { "content-type": "application/json" });
            res.end(UNAVAILABLE);
          } else res.destroy();
          observe(503, started);
        },
      },
    );
    return true;
  };
}
