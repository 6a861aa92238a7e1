import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@rushgate/logger";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import type { ZodType, ZodTypeDef } from "zod";
import type { AppEnv } from "./context";
import { errorAnswer } from "./errors";
import type { Metrics } from "./metrics";
import { requestIdOf } from "./request-id";
import type { FastPath } from "./serve";
import { validate } from "./validate";

/** What a route answers: a JSON value, or bytes passed on as they came (an upstream's answer). */
export interface Answer {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

export interface RouteContext {
  requestId: string;
  log: Logger;
}

/**
 * One route, written once and served two ways: by the hono app (`mountRoutes`) and, for its plain
 * form, on Node's own request and response (`createRawCore`), without the framework's
 * per-request objects. The request's shape is read by `input`, once for each path, so that what
 * the handler sees — and therefore what it answers — is the same.
 */
export interface Route<P, I> {
  method: "GET" | "POST" | "DELETE";
  /** A hono pattern, e.g. `/api/queue/:eventId/status`; also the route's label in metrics. */
  path: string;
  params: ZodType<P, ZodTypeDef, unknown>;
  /** From Node's request: the handler's input, or undefined to leave the request to the app. */
  rawInput(req: IncomingMessage): I | undefined;
  /** Hono middleware that run before `appInput` (identity from cookies, say). */
  middleware?: MiddlewareHandler<AppEnv>[];
  /** From hono's context; throws ApiError to refuse. */
  appInput(c: Context<AppEnv>): I;
  handle(input: I, params: P, ctx: RouteContext): Promise<Answer>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of routes of different shapes
export type AnyRoute = Route<any, any>;

/** The bytes of an answer: JSON is serialised here for both paths. */
export function answerBytes(answer: Answer): {
  headers: Record<string, string>;
  payload: Uint8Array<ArrayBuffer> | string;
} {
  if (answer.raw !== undefined)
    return { headers: answer.headers ?? {}, payload: answer.raw as Uint8Array<ArrayBuffer> };
  const noBody = answer.body === undefined;
  return {
    headers: noBody ? { ...answer.headers } : { "content-type": "application/json", ...answer.headers },
    payload: noBody ? "" : JSON.stringify(answer.body),
  };
}

/** Registers the routes on the app (validation of the path parameters first, as everywhere). */
export function mountRoutes(app: Hono<AppEnv>, routes: AnyRoute[]): void {
  for (const route of routes) {
    const method = route.method.toLowerCase() as "get" | "post" | "delete";
    app[method](route.path, validate("param", route.params), ...(route.middleware ?? []), async (c) => {
      const input = route.appInput(c);
      const answer = await route.handle(input, c.req.valid("param" as never), {
        requestId: c.get("requestId"),
        log: c.get("log"),
      });
      const { headers, payload } = answerBytes(answer);
      // c.body keeps what middleware set on the context (the request id).
      if (answer.status === 204) return c.body(null, 204 as StatusCode, headers);
      return c.body(payload, answer.status as ContentfulStatusCode, headers);
    });
  }
}

interface Compiled {
  route: AnyRoute;
  method: string;
  pattern: RegExp;
  names: string[];
  parsed: Map<string, ReturnType<AnyRoute["params"]["safeParse"]>>;
}

function compile(route: AnyRoute): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:([A-Za-z]+)/g, (_, name) => {
    names.push(name);
    return "([^/?#]+)";
  });
  return {
    route,
    method: route.method,
    pattern: new RegExp(`^${source}(?:\\?|$)`),
    names,
    parsed: new Map(),
  };
}

/** Parsed path parameters remembered per route (a rush polls the same few event ids). */
const MAX_REMEMBERED_PARAMS = 1_000;
const MAX_REMEMBERED_KEY = 64;

/**
 * The route's path parameters, checked by its schema. A schema's verdict on the same strings is
 * always the same, so each distinct path's is kept (bounded) instead of parsed on every request.
 */
function paramsOf(entry: Compiled, match: RegExpExecArray) {
  let key = "";
  for (let i = 1; i <= entry.names.length; i++) key += `/${match[i]}`;
  const known = entry.parsed.get(key);
  if (known) return known;
  const raw: Record<string, string> = {};
  for (let i = 0; i < entry.names.length; i++) raw[entry.names[i] as string] = match[i + 1] as string;
  const result = entry.route.params.safeParse(raw);
  // Long keys are a caller's noise, not a rush's ids: not worth the memory.
  if (key.length <= MAX_REMEMBERED_KEY) {
    if (entry.parsed.size >= MAX_REMEMBERED_PARAMS) entry.parsed.clear();
    entry.parsed.set(key, result);
  }
  return result;
}

/** No body: anything that carries one goes through the app (body limit, parsing). */
function bodiless(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0");
}

/**
 * The raw listener of a server's hottest routes. It takes a request only in the plain form its
 * route's `rawInput` accepts, with valid path parameters and no body; everything else (and every
 * other route) goes to the hono app, which answers it the usual way. What it does answer — the
 * request id, errors, metrics — comes from the same pieces the app uses.
 */
export function createRawCore(options: { routes: AnyRoute[]; metrics: Metrics; logger: Logger }): FastPath {
  const compiled = options.routes.map(compile);
  const { metrics, logger } = options;

  function write(res: ServerResponse, answer: Answer, requestId: string) {
    const { headers, payload } = answerBytes(answer);
    headers["x-request-id"] = requestId;
    // A known length, not chunked: Node then sends a string body in one write with its headers.
    if (answer.status !== 204)
      headers["content-length"] = String(
        typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength,
      );
    res.writeHead(answer.status, headers);
    res.end(answer.status === 204 ? undefined : payload);
  }

  return function rawCore(req, res) {
    const url = req.url;
    if (url === undefined) return false;
    let match: RegExpExecArray | null = null;
    let entry: Compiled | undefined;
    for (const c of compiled) {
      if (c.method !== req.method) continue;
      match = c.pattern.exec(url);
      if (match) {
        entry = c;
        break;
      }
    }
    if (!entry || !match || !bodiless(req)) return false;
    const params = paramsOf(entry, match);
    if (!params.success) return false;
    const input = entry.route.rawInput(req);
    if (input === undefined) return false;

    const started = performance.now();
    const requestId = requestIdOf(req.headers["x-request-id"]);
    const route = entry.route;
    const done = (answer: Answer) => {
      write(res, answer, requestId);
      metrics.observeRequest(route.method, route.path, answer.status, (performance.now() - started) / 1000);
    };
    route
      .handle(input, params.data, {
        requestId,
        get log() {
          return logger.child({ requestId });
        },
      })
      .then(done, (err: unknown) => {
        const answer = errorAnswer(err, requestId);
        if (answer.unexpected) logger.error({ err, requestId }, "unhandled error");
        done(answer);
      });
    return true;
  };
}
