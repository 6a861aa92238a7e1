import { getConnInfo } from "@hono/node-server/conninfo";
import { ApiError } from "@rushgate/api";
import type { AppEnv } from "@rushgate/service";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in the router's memory: a request costs no Redis call, so a client polling every
 * 10 ms is turned away here, before it can cost anyone else a Redis round trip. Limits are per
 * router instance (behind N routers a client gets up to N times the rate).
 */
export function createLimiter(options: { ratePerSec: number; burst: number }) {
  const buckets = new Map<string, Bucket>();
  let sweptAt = Date.now();

  function sweep(now: number) {
    // A bucket idle long enough to be full again carries no information.
    const idleMs = (options.burst / options.ratePerSec) * 1000;
    for (const [key, b] of buckets) if (now - b.at > idleMs) buckets.delete(key);
    sweptAt = now;
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  return function take(key: string, now = Date.now()): number {
    if (now - sweptAt > 10_000 || buckets.size > 500_000) sweep(now);
    const b = buckets.get(key) ?? { tokens: options.burst, at: now };
    b.tokens = Math.min(options.burst, b.tokens + ((now - b.at) / 1000) * options.ratePerSec);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / options.ratePerSec));
  };
}

export interface RateLimits {
  userPerSec: number;
  userBurst: number;
  ipPerSec: number;
  ipBurst: number;
}

/** The client's address: the first X-Forwarded-For entry behind a trusted proxy, else the socket's. */
export function clientAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustProxy: boolean,
) {
  if (trustProxy) {
    const forwarded = forwardedFor?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return socketAddress ?? "unknown";
}

/**
 * One budget (entry or status) per user and per IP. Returns 0 when the request may go on, else
 * the seconds to wait. A limit of 0 turns that limit off. Shared by the hono middleware and the
 * router's raw fast path (fast-path.ts), so both spend the same buckets.
 */
export function createBudget(name: string, limits: RateLimits) {
  const perUser =
    limits.userPerSec > 0 ? createLimiter({ ratePerSec: limits.userPerSec, burst: limits.userBurst }) : null;
  const perIp =
    limits.ipPerSec > 0 ? createLimiter({ ratePerSec: limits.ipPerSec, burst: limits.ipBurst }) : null;
  return function spend(ip: string, user: string): number {
    return Math.max(perIp ? perIp(`${name}:${ip}`) : 0, perUser && user ? perUser(`${name}:${user}`) : 0);
  };
}

export type Budget = ReturnType<typeof createBudget>;

/** `429 too_many_requests` with `Retry-After` for a user (X-User-Id or uid cookie) or an IP over budget. */
export function rateLimit(budget: Budget, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async function rateLimited(c, next) {
    const user = (c.req.header("x-user-id") ?? getCookie(c, "uid") ?? "").slice(0, 64);
    let socketAddress: string | undefined;
    try {
      socketAddress = getConnInfo(c).remote.address;
    } catch {
      socketAddress = undefined;
    }
    const wait = budget(clientAddress(c.req.header("x-forwarded-for"), socketAddress, trustProxy), user);
    if (wait > 0)
      throw new ApiError("too_many_requests", `slow down: try again in ${wait} s`, { retryAfter: wait });
    await next();
  };
}
