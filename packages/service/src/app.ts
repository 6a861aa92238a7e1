import type { IncomingMessage } from "node:http";
import type { Logger } from "@rushgate/logger";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./context";
import { errorResponse, handleError } from "./errors";
import type { Metrics } from "./metrics";
import { requestId } from "./request-id";

export const MAX_BODY_BYTES = 16 * 1024;

export interface BaseAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** Throws when a dependency (Redis, MySQL) is unreachable. */
  ready: () => Promise<void>;
}

/**
 * The shell every server's app is built on: request id, per-request logger, latency metrics,
 * the 16 KiB body limit, JSON errors, and /healthz, /readyz (`/metrics` has a port of its own:
 * metrics-server.ts).
 */
export function createBaseApp(options: BaseAppOptions): Hono<AppEnv> {
  const { logger, metrics } = options;
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(async function observe(c, next) {
    c.set("log", lazyChild(logger, c.get("requestId")));
    const started = performance.now();
    await next();
    metrics.observeRequest(c.req.method, c.req.routePath, c.res.status, (performance.now() - started) / 1000);
  });
  app.use(limitBody());

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await options.ready();
      return c.json({ status: "ready" });
    } catch (err) {
      c.get("log").warn({ err }, "not ready");
      return errorResponse(c, "service_unavailable", "a dependency is unreachable");
    }
  });

  app.notFound((c) => errorResponse(c, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}

/**
 * The request's logger, made only when something is logged: most requests log nothing, and a
 * pino child per request is a measurable share of a status poll.
 */
function lazyChild(root: Logger, requestId: string): Logger {
  let child: Logger | undefined;
  const get = () => {
    child ??= root.child({ requestId });
    return child;
  };
  return new Proxy(root, {
    get(_target, prop) {
      const logger = get();
      const value = Reflect.get(logger, prop, logger);
      return typeof value === "function" ? value.bind(logger) : value;
    },
  });
}

const tooLarge = (c: Context) => errorResponse(c, "payload_too_large", "request body is larger than 16 KiB");

/**
 * hono's bodyLimit, reached only by requests that carry a body. It looks at `c.req.raw.body`,
 * which makes @hono/node-server build a whole fetch Request (headers, AbortController, body
 * stream) for every request; for a status poll that cost more than the rest of the request. On
 * Node the headers tell without that: GET and HEAD have no body, a declared length is compared
 * as bodyLimit would, and only a chunked body is read and counted by bodyLimit itself.
 */
function limitBody(): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  return async function limitBody(c, next) {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming) return limit(c, next); // not served by @hono/node-server (app.request in tests)
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = incoming.headers["content-length"];
    if (incoming.headers["transfer-encoding"] !== undefined) return limit(c, next);
    if (length === undefined) return next();
    return Number.parseInt(length, 10) > MAX_BODY_BYTES ? tooLarge(c) : next();
  };
}
