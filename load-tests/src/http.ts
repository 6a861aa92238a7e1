import type { EventStats } from "@rushgate/api";
import { Client, type Dispatcher, Pool } from "undici";

export interface Answer {
  /** 0 when the request failed in transport (refused, reset, timed out). */
  status: number;
  body: Record<string, unknown>;
  ms: number;
  error?: string;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

const TIMEOUTS = { keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 };

/**
 * One request and its JSON answer. Latency runs from the call to the end of the body, so it
 * includes opening the connection (a user's first request) or waiting for a free one.
 */
async function send(
  dispatcher: Dispatcher,
  method: Method,
  path: string,
  headers: Record<string, string>,
  json: unknown,
): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await dispatcher.request({
      method,
      path,
      headers: json === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: parseObject(text), ms: performance.now() - started };
  } catch (err) {
    return { status: 0, body: {}, ms: performance.now() - started, error: (err as Error).message };
  }
}

export type Http = ReturnType<typeof createHttp>;

/**
 * A keep-alive undici pool for the driver's own calls (admin API, closed-loop benchmarks), never
 * for simulated users: those each hold their own connection (`createUser`).
 */
export function createHttp(baseUrl: string, connections: number) {
  const pool = new Pool(baseUrl, { connections, ...TIMEOUTS });
  return {
    call: (method: Method, path: string, headers: Record<string, string> = {}, json?: unknown) =>
      send(pool, method, path, headers, json),
    close: () => pool.close(),
  };
}

export type User = ReturnType<typeof createUser>;

/**
 * One simulated user as k6 runs it (SPEC §8): its own keep-alive connection per origin it talks
 * to (one undici Client, pipelining 1), opened by its first request and closed when it is done.
 * `pathOrUrl` is a path on `baseUrl` or an absolute URL (a `pollUrl` may name another origin).
 */
export function createUser(baseUrl: string) {
  const clients = new Map<string, Client>();
  const clientFor = (origin: string) => {
    let client = clients.get(origin);
    if (!client) {
      client = new Client(origin, { pipelining: 1, connectTimeout: 30_000, ...TIMEOUTS });
      clients.set(origin, client);
    }
    return client;
  };
  return {
    call(method: Method, pathOrUrl: string, headers: Record<string, string> = {}, json?: unknown) {
      const url = new URL(pathOrUrl, baseUrl);
      return send(clientFor(url.origin), method, `${url.pathname}${url.search}`, headers, json);
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}

/**
 * Where a user polls its status: the entry answer's `pollUrl` when it gives one (a path or an
 * absolute URL: the first process that receives a poll answers it, SPEC §4), else the router's
 * `/api/queue/<eventId>/status`.
 */
export function pollTarget(entryBody: Record<string, unknown>, eventId: number): string {
  const given = entryBody.pollUrl;
  return typeof given === "string" && given !== "" ? given : `/api/queue/${eventId}/status`;
}

function parseObject(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** `{"error":{"code"}}` of an error body, or "". */
export function errorCode(body: Record<string, unknown>): string {
  const error = body.error as { code?: unknown } | undefined;
  return typeof error?.code === "string" ? error.code : "";
}

export interface EventSettings {
  name: string;
  stock: number;
  rpmThreshold: number;
  runningCapacity: number;
  admitPerTick: number;
  admissionTtlSeconds: number;
  /** How long the event stays open from now. */
  openSeconds: number;
}

/**
 * An event where everyone queues (threshold 0) and nobody runs short of stock or room: the
 * bench's burst and round-trip phases measure the queue's requests on it.
 */
export const QUEUE_ONLY_EVENT: Omit<EventSettings, "name"> = {
  stock: 1_000_000,
  rpmThreshold: 0,
  runningCapacity: 1_000_000,
  admitPerTick: 200,
  admissionTtlSeconds: 3600,
  openSeconds: 7200,
};

/** POST /admin/api/events; the event opened a minute ago, as the k6 scripts create it. */
export async function createEvent(http: Http, adminToken: string, settings: EventSettings): Promise<number> {
  const now = Date.now();
  const { openSeconds, ...rest } = settings;
  const res = await http.call(
    "POST",
    "/admin/api/events",
    { authorization: `Bearer ${adminToken}` },
    {
      ...rest,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + openSeconds * 1000).toISOString(),
    },
  );
  if (res.status !== 201 || typeof res.body.id !== "number") {
    throw new Error(`POST /admin/api/events answered ${res.status} ${res.error ?? JSON.stringify(res.body)}`);
  }
  return res.body.id;
}

export async function fetchStats(http: Http, adminToken: string, eventId: number): Promise<EventStats> {
  const res = await http.call("GET", `/admin/api/events/${eventId}/stats`, {
    authorization: `Bearer ${adminToken}`,
  });
  if (res.status !== 200) {
    throw new Error(
      `GET /admin/api/events/${eventId}/stats answered ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body as unknown as EventStats;
}
