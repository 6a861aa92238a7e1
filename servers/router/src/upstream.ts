import type { Readable } from "node:stream";
import { ApiError } from "@rushgate/api";
import type { Logger } from "@rushgate/logger";
import { type Dispatcher, Pool } from "undici";

/** The instances of one server behind the router, each over its own keep-alive pool. */
export interface Upstream {
  name: string;
  pools: Pool[];
  close(): Promise<void>;
}

export interface UpstreamRequest {
  method: "GET" | "POST" | "DELETE" | "PUT" | "PATCH";
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface UpstreamAnswer {
  status: number;
  /** Only the headers a client should see from a server behind the router. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What `call` logs through: a Logger, or anything that makes one only when it must warn. */
export interface UpstreamLog {
  warn(obj: object, msg: string): void;
}

const PASSED = [
  "content-type",
  "retry-after",
  "cache-control",
  "content-disposition",
  "x-next-before",
] as const;

/** Keep-alive connections to one instance or to several (a comma-separated list). */
export function createUpstream(name: string, urls: string[], connections: number): Upstream {
  const options = { connections, keepAliveTimeout: 30_000, headersTimeout: 10_000, bodyTimeout: 10_000 };
  const pools = urls.map((url) => new Pool(url, options));
  return {
    name,
    pools,
    async close() {
      await Promise.all(pools.map((p) => p.close()));
    },
  };
}

let turn = 0;

/** The upstream answer's headers that are passed on to the client. */
function passedHeaders(
  upstreamHeaders: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PASSED) {
    const value = upstreamHeaders[name];
    if (typeof value === "string") headers[name] = value;
  }
  return headers;
}

/**
 * Round robin over the instances, `attempts` of them at most, each tried in turn while it cannot
 * be reached; unreachable everywhere: `503 service_unavailable`.
 */
async function roundRobin<T>(
  upstream: Upstream,
  attempts: number,
  log: UpstreamLog | undefined,
  once: (pool: Pool) => Promise<T>,
): Promise<T> {
  const { pools } = upstream;
  const first = turn++ % pools.length;
  let failure: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await once(pools[(first + i) % pools.length] as Pool);
    } catch (err) {
      failure = err;
      log?.warn({ err, upstream: upstream.name, attempt: i + 1 }, "upstream unreachable");
    }
  }
  throw new ApiError("service_unavailable", `${upstream.name} is unavailable, try again shortly`, {
    cause: failure,
  });
}

/** One call on one pool, collecting the answer's chunks (cheaper than a body stream). */
function dispatchOnce(pool: Pool, req: UpstreamRequest): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 502;
    let headers: Record<string, string> = {};
    const handler: Dispatcher.DispatchHandler = {
      // Its presence tells undici this handler speaks the controller-based API.
      onRequestStart() {},
      onResponseStart(_controller, statusCode, upstreamHeaders) {
        status = statusCode;
        headers = passedHeaders(upstreamHeaders);
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({
          status,
          headers,
          body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        });
      },
      onResponseError(_controller, err) {
        reject(err);
      },
    };
    pool.dispatch({ method: req.method, path: req.path, headers: req.headers, body: req.body }, handler);
  });
}

/**
 * The router's one way to call a server behind it: round robin over its instances. A request
 * that is safe to repeat (GET) is retried on the next instance when one cannot be reached, so a
 * dead instance costs a retry, not a 503; anything else is tried once. Unreachable everywhere:
 * `503 service_unavailable`.
 */
export async function call(
  upstream: Upstream,
  req: UpstreamRequest,
  log?: UpstreamLog,
): Promise<UpstreamAnswer> {
  const attempts = req.method === "GET" ? upstream.pools.length : 1;
  return roundRobin(upstream, attempts, log, (pool) => dispatchOnce(pool, req));
}

export interface UpstreamStream {
  status: number;
  headers: Record<string, string>;
  /** The answer's body as it arrives; read at the client's pace. */
  body: Readable;
}

/**
 * A GET whose answer is passed on as it arrives instead of collected first (an export that may be
 * larger than memory should hold). Round robin and retried on the next instance like `call`, as
 * long as no answer has begun. The body may pause for as long as a slow client reads, so the gap
 * allowed between chunks is long.
 */
export async function callStream(
  upstream: Upstream,
  req: UpstreamRequest,
  log?: Logger,
): Promise<UpstreamStream> {
  return roundRobin(upstream, upstream.pools.length, log, async (pool) => {
    const res = await pool.request({
      method: "GET",
      path: req.path,
      headers: req.headers,
      bodyTimeout: 300_000,
    });
    return { status: res.statusCode, headers: passedHeaders(res.headers), body: res.body };
  });
}
