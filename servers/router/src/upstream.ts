import type { IncomingMessage } from "node:http";
import { errorResponse } from "@rushgate/service";
import type { Context } from "hono";
import { BalancedPool, type Dispatcher, Pool } from "undici";
import type { IncomingHttpHeaders } from "undici/types/header";

export interface Upstream {
  name: string;
  pool: Pool | BalancedPool;
}

/** Keep-alive connections to one instance, or balanced over several (a comma-separated list). */
export function createUpstream(name: string, urls: string[], connections: number): Upstream {
  const options = { connections, keepAliveTimeout: 30_000, headersTimeout: 10_000, bodyTimeout: 10_000 };
  return {
    name,
    pool: urls.length === 1 ? new Pool(urls[0] as string, options) : new BalancedPool(urls, options),
  };
}

const PASSED_RESPONSE_HEADERS = ["content-type", "retry-after", "cache-control"] as const;

function pick(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED_RESPONSE_HEADERS) {
    const value = headers[name];
    if (typeof value === "string") out[name] = value;
  }
  return out;
}

/**
 * Whether the request can carry a body. Reading one makes @hono/node-server build a fetch Request,
 * so a POST with neither Content-Length (or a zero one) nor Transfer-Encoding, such as an issue,
 * is forwarded without one. Off node-server (app.request in tests) the body is always read.
 */
function mayHaveBody(c: Context): boolean {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD") return false;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return true;
  const length = incoming.headers["content-length"];
  return incoming.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Forwards the request as it is (method, path, query, body) over a keep-alive pool, with the
 * caller's identity resolved to `X-User-Id`, and passes status, body and content type back
 * unchanged. An unreachable upstream is a 503, never a hang or a stack trace.
 */
export async function forward(c: Context, upstream: Upstream, userId?: string): Promise<Response> {
  const headers: Record<string, string> = { "x-request-id": c.get("requestId") };
  if (userId) headers["x-user-id"] = userId;
  const authorization = c.req.header("authorization");
  if (authorization) headers.authorization = authorization;
  const contentType = c.req.header("content-type");
  if (contentType) headers["content-type"] = contentType;

  const method = c.req.method;
  const body = mayHaveBody(c) ? Buffer.from(await c.req.arrayBuffer()) : undefined;
  const url = c.req.url;
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));

  let res: Dispatcher.ResponseData;
  try {
    res = await upstream.pool.request({ method: method as "GET", path, headers, body });
  } catch (err) {
    c.get("log").warn({ err, upstream: upstream.name }, "upstream unreachable");
    return errorResponse(c, "service_unavailable", `${upstream.name} is unavailable, try again shortly`);
  }
  // A Buffer (not an ArrayBuffer) lets @hono/node-server write it out directly instead of building
  // a fetch Response around it.
  const payload = Buffer.from(await res.body.arrayBuffer());
  const noBody = res.statusCode === 204 || res.statusCode === 304;
  return new Response(noBody ? null : payload, { status: res.statusCode, headers: pick(res.headers) });
}
