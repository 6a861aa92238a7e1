import { getConnInfo } from "@hono/node-server/conninfo";
import { ApiError } from "@rushgate/api";
import type { IdentityResolver } from "@rushgate/identity";
import type { AppEnv } from "@rushgate/service";
import type { Context, MiddlewareHandler } from "hono";

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

/**
 * One route group's budget per client address and per user; each returns 0 when the request may
 * go on, else the seconds to wait, and a limit of 0 is off. The address is spent before the
 * identity is checked (so forged identities are limited too), the user once it is known. Calling
 * the budget itself spends both. Shared by the hono middleware and the routes of routes/api.ts
 * on both of their paths, so every request spends the same buckets.
 */
export function createBudget(name: string, limits: RateLimits) {
  const perUser =
    limits.userPerSec > 0 ? createLimiter({ ratePerSec: limits.userPerSec, burst: limits.userBurst }) : null;
  const perIp =
    limits.ipPerSec > 0 ? createLimiter({ ratePerSec: limits.ipPerSec, burst: limits.ipBurst }) : null;
  const ip = (address: string) => (perIp ? perIp(`${name}:${address}`) : 0);
  const user = (userId: string) => (perUser ? perUser(`${name}:${userId}`) : 0);
  return Object.assign((address: string, userId: string) => Math.max(ip(address), user(userId)), {
    ip,
    user,
  });
}

export type Budget = ReturnType<typeof createBudget>;

/** The public route groups, each with its own buckets. */
export const BUDGETS = ["entry", "status", "leave", "events", "issue", "coupons", "pages", "admin"] as const;
export type Budgets = Record<(typeof BUDGETS)[number], Budget>;

export function createBudgets(limits: RateLimits): Budgets {
  return Object.fromEntries(BUDGETS.map((name) => [name, createBudget(name, limits)])) as Budgets;
}

/** `429 too_many_requests` with `Retry-After` when `wait` (seconds) is above 0. */
export function refuseOver(wait: number) {
  if (wait > 0)
    throw new ApiError("too_many_requests", `slow down: try again in ${wait} s`, { retryAfter: wait });
}

export function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // app.request in tests: no socket
  }
}

/** Spends the per-address budget of a route (the per-user one is spent by identify()). */
export function limitAddress(budget: Budget, identity: IdentityResolver): MiddlewareHandler<AppEnv> {
  return async function limitAddress(c, next) {
    refuseOver(budget.ip(identity.address(c.req.header("x-forwarded-for"), socketAddress(c))));
    await next();
  };
}
