import { ApiError } from "@rushgate/api";
import { status } from "@rushgate/redis";
import type { FastPath } from "@rushgate/service";
import { queueAnswer } from "./answer";
import type { WaitingRoomDeps } from "./app";

const STATUS_PATH = /^\/api\/queue\/([1-9][0-9]{0,14})\/status(?:\?|$)/;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROUTE = "/api/queue/:eventId/status";

/**
 * GET /api/queue/:eventId/status on Node's request and response: one status-8.lua call and the
 * same answer as routes/status.ts, without the framework's per-request objects. It is every
 * waiting user's poll, so it is most of the waiting room's work. Only the plain form is taken
 * (a valid id and X-User-Id); anything else goes to the app.
 */
export function createStatusFastPath(deps: WaitingRoomDeps): FastPath {
  const timers = new Map<number, { observe(seconds: number): void }>();
  const send = (res: Parameters<FastPath>[1], code: number, body: unknown, started: number) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
    let timer = timers.get(code);
    if (!timer) {
      timer = deps.metrics.httpDuration.labels("GET", ROUTE, String(code));
      timers.set(code, timer);
    }
    timer.observe((performance.now() - started) / 1000);
  };

  return function statusFastPath(req, res) {
    const match = req.method === "GET" && req.url !== undefined ? STATUS_PATH.exec(req.url) : null;
    const userId = req.headers["x-user-id"];
    if (!match || typeof userId !== "string" || !USER_ID.test(userId)) return false;
    const eventId = Number(match[1]);
    const started = performance.now();
    status(deps.redis, deps.keys.event(eventId), userId)
      .then((reply) => {
        send(res, 200, queueAnswer(reply, { secret: deps.env.ADMISSION_SECRET, eventId, userId }), started);
      })
      .catch((err) => {
        if (err instanceof ApiError) {
          send(res, err.status, { error: { code: err.code, message: err.message } }, started);
          return;
        }
        const requestId = req.headers["x-request-id"];
        deps.logger.error({ err, requestId }, "unhandled error");
        send(res, 500, { error: { code: "internal_error", message: "internal error", requestId } }, started);
      });
    return true;
  };
}
