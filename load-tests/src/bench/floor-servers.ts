import type { IncomingMessage, ServerResponse } from "node:http";
import type { RedisClient } from "@rushgate/redis";
import { Pool } from "undici";
import { IDENTITY_HEADER } from "../identity";

/**
 * The request handlers of the burst's baselines (load-tests/src/floor.ts runs them): the floor
 * answers a rush's entry and status with fixed JSON, the hop passes everything on to it, and the
 * Redis floor answers the same JSON after one trivial script call (one round trip, as SPEC §4
 * allows an entry or a poll).
 */

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const WAITING = json({ status: "waiting", position: 1, waiting: 1, etaSeconds: null, pollAfterMs: 300 });
const OK = json({ status: "ok" });
const NOT_FOUND = json({ error: { code: "not_found", message: "not found" } });
const ENTRY = /^\/api\/events\/\d+\/entry(?:\?|$)/;
const STATUS = /^\/api\/queue\/\d+\/status(?:\?|$)/;

function send(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}

export function floor(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? "";
  if (req.method === "POST" && ENTRY.test(url)) send(res, 202, WAITING);
  else if (req.method === "GET" && STATUS.test(url)) send(res, 200, WAITING);
  else if (url === "/healthz") send(res, 200, OK);
  else send(res, 404, NOT_FOUND);
}

export function hop(backUrl: string): (req: IncomingMessage, res: ServerResponse) => void {
  // The router's own upstream pool size (UPSTREAM_CONNECTIONS).
  const pool = new Pool(backUrl, {
    connections: 128,
    keepAliveTimeout: 30_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  return (req, res) => {
    if (req.url === "/healthz") {
      send(res, 200, OK);
      return;
    }
    const headers: Record<string, string> = {};
    const user = req.headers[IDENTITY_HEADER];
    if (typeof user === "string") headers[IDENTITY_HEADER] = user;
    const chunks: Buffer[] = [];
    let code = 502;
    let type: string | undefined;
    pool.dispatch(
      { method: req.method === "POST" ? "POST" : "GET", path: req.url ?? "/", headers },
      {
        onRequestStart() {},
        onResponseStart(_controller, statusCode, upstreamHeaders) {
          code = statusCode;
          const t = upstreamHeaders["content-type"];
          type = typeof t === "string" ? t : undefined;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          res.writeHead(code, type ? { "content-type": type } : {});
          res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        },
        onResponseError() {
          if (!res.headersSent) send(res, 503, json({ error: { code: "service_unavailable", message: "" } }));
          else res.destroy();
        },
      },
    );
  };
}

/**
 * The floor plus one Redis round trip per entry and poll: an EVALSHA of `return ARGV[1]` on a
 * client made as the router makes its own (createRedis, auto-pipelining on). What a server that
 * does nothing but the one round trip SPEC §4 allows must spend.
 */
export function redisFloor(redis: RedisClient): (req: IncomingMessage, res: ServerResponse) => void {
  redis.defineCommand("floorEcho", { numberOfKeys: 0, lua: "return ARGV[1]" });
  const echo = (redis as unknown as { floorEcho(v: string): Promise<string> }).floorEcho.bind(redis);
  return (req, res) => {
    const url = req.url ?? "";
    const known = (req.method === "POST" && ENTRY.test(url)) || (req.method === "GET" && STATUS.test(url));
    if (!known) {
      floor(req, res);
      return;
    }
    echo("1").then(
      () => send(res, req.method === "POST" ? 202 : 200, WAITING),
      () => send(res, 503, json({ error: { code: "service_unavailable", message: "" } })),
    );
  };
}
