import type { EventStats } from "@rushgate/api";
import { Pool } from "undici";

export interface Answer {
  /** 0 when the request failed in transport (refused, reset, timed out). */
  status: number;
  body: Record<string, unknown>;
  ms: number;
  error?: string;
}

export type Http = ReturnType<typeof createHttp>;

/**
 * One keep-alive undici pool to the router, shared by every virtual user (a VU per connection
 * would cost 4,500 sockets for nothing). Latency runs from the call to the end of the body, so it
 * includes any wait for a free connection, as a user would feel it.
 */
export function createHttp(baseUrl: string, connections: number) {
  const pool = new Pool(baseUrl, {
    connections,
    keepAliveTimeout: 30_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });

  async function call(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    headers: Record<string, string> = {},
    json?: unknown,
  ): Promise<Answer> {
    const started = performance.now();
    try {
      const res = await pool.request({
        method,
        path,
        headers: json === undefined ? headers : { ...headers, "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.body.text();
      const ms = performance.now() - started;
      return { status: res.statusCode, body: parseObject(text), ms };
    } catch (err) {
      return { status: 0, body: {}, ms: performance.now() - started, error: (err as Error).message };
    }
  }

  return { call, close: () => pool.close() };
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
