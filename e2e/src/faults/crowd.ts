import type { Db } from "@rushgate/db";
import type { Keys, RedisClient } from "@rushgate/redis";
import { expect } from "vitest";
import type { Client, Reply } from "../client";

export interface CrowdResult {
  /** user -> couponId of every `201 issued` a user received. */
  acked: Map<string, string>;
  soldOut: number;
  alreadyIssued: number;
  /** Unexpected answers and transport errors seen along the way (retried). */
  hiccups: string[];
  unfinished: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A call that survives a server being down: transport errors and 503s are retried. */
async function persistent(
  call: () => Promise<Reply>,
  hiccups: string[],
  until: number,
): Promise<Reply | null> {
  while (Date.now() < until) {
    try {
      const res = await call();
      if (res.status !== 503 && res.status < 500) return res;
      hiccups.push(`${res.status} ${JSON.stringify(res.body)}`);
    } catch (err) {
      hiccups.push(err instanceof Error ? err.message : String(err));
    }
    await sleep(100);
  }
  return null;
}

/**
 * Users rushing one event the way a real crowd does, retrying through outages, until each one
 * has an answer: issued, already issued (a retry after a lost 201) or sold out.
 */
export async function runCrowd(
  client: Client,
  eventId: number,
  users: string[],
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<CrowdResult> {
  const result: CrowdResult = { acked: new Map(), soldOut: 0, alreadyIssued: 0, hiccups: [], unfinished: 0 };
  const until = Date.now() + (options.timeoutMs ?? 90_000);
  await Promise.all(
    users.map(async (user) => {
      for (;;) {
        let res = await persistent(() => client.enter(eventId, user), result.hiccups, until);
        while (res && (res.status === 202 || res.body?.status === "waiting")) {
          await sleep(options.pollMs ?? 100);
          res = await persistent(() => client.status(eventId, user), result.hiccups, until);
          if (res?.status === 404) break; // evicted while a server was down: enter again
        }
        if (!res) {
          result.unfinished += 1;
          return;
        }
        if (res.status === 404) continue;
        if (res.status === 410 || res.body?.status === "sold_out") {
          result.soldOut += 1;
          return;
        }
        if (res.body?.status !== "admitted") {
          result.hiccups.push(`entry ${res.status} ${JSON.stringify(res.body)}`);
          continue;
        }
        const issued = await persistent(
          () => client.issue(eventId, user, String(res.body.token)),
          result.hiccups,
          until,
        );
        if (!issued) {
          result.unfinished += 1;
          return;
        }
        const code = (issued.body as { error?: { code: string } }).error?.code;
        if (issued.status === 201) result.acked.set(user, String(issued.body.couponId));
        else if (code === "already_issued") result.alreadyIssued += 1;
        else if (code === "sold_out") result.soldOut += 1;
        else if (code === "not_admitted")
          continue; // admission lapsed during an outage: queue again
        else result.hiccups.push(`issue ${issued.status} ${JSON.stringify(issued.body)}`);
        return;
      }
    }),
  );
  return result;
}

/**
 * SPEC §5 after the drain: MySQL = Redis, issued = min(stock, demand), one row per user at most,
 * and every acknowledged coupon persisted exactly once with the code the user was given.
 */
export async function expectInvariants(
  ctx: {
    db: Db;
    pool: { query: (sql: string, values: unknown[]) => Promise<unknown> };
    redis: RedisClient;
    keys: Keys;
  },
  eventId: number,
  expected: { stock: number; demand: number; acked: Map<string, string> },
  timeoutMs = 60_000,
) {
  const issuedKey = ctx.keys.event(eventId).issued;
  const deadline = Date.now() + timeoutMs;
  let rows: { user_id: string; coupon_id: string }[] = [];
  let inRedis = -1;
  while (Date.now() < deadline) {
    [rows] = (await ctx.pool.query("SELECT user_id, coupon_id FROM coupon_issuances WHERE event_id = ?", [
      eventId,
    ])) as [typeof rows];
    inRedis = await ctx.redis.hlen(issuedKey);
    if (rows.length === inRedis && rows.length >= Math.min(expected.stock, expected.demand)) break;
    await sleep(250);
  }
  expect(rows.length).toBe(inRedis);
  expect(rows.length).toBe(Math.min(expected.stock, expected.demand));
  expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
  const persisted = new Map(rows.map((r) => [r.user_id, r.coupon_id]));
  for (const [user, couponId] of expected.acked) expect(persisted.get(user)).toBe(couponId);
  expect(Number(await ctx.redis.get(ctx.keys.event(eventId).remaining))).toBe(expected.stock - rows.length);
}
