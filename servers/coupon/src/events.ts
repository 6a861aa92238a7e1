import type { EventStatus, EventView } from "@rushgate/api";
import { type CouponEvent, findEvent, listEventIssuances } from "@rushgate/db";
import { type EventMeta, parseMeta, warm } from "@rushgate/redis";
import type { CouponDeps } from "./app";

export function metaFromRow(row: CouponEvent): EventMeta {
  return {
    name: row.name,
    stock: row.stock,
    startsAt: row.startsAt.getTime(),
    endsAt: row.endsAt.getTime(),
    rpmThreshold: row.rpmThreshold,
    runningCapacity: row.runningCapacity,
    admitPerTick: row.admitPerTick,
    admissionTtlSeconds: row.admissionTtlSeconds,
    idleTimeoutSeconds: row.idleTimeoutSeconds,
    actWithinSeconds: row.actWithinSeconds,
  };
}

export function eventStatus(
  meta: { startsAt: number; endsAt: number },
  remaining: number,
  now = Date.now(),
): EventStatus {
  if (now >= meta.endsAt) return "ended";
  if (remaining <= 0) return "sold_out";
  if (now < meta.startsAt) return "upcoming";
  return "open";
}

export function eventView(id: number, meta: EventMeta, remaining: number): EventView {
  return {
    id,
    name: meta.name,
    stock: meta.stock,
    remaining: Math.max(0, remaining),
    startsAt: new Date(meta.startsAt).toISOString(),
    endsAt: new Date(meta.endsAt).toISOString(),
    status: eventStatus(meta, remaining),
  };
}

const WARM_CHUNK = 5_000;

/**
 * Loads an event from MySQL into Redis when Redis does not have it (a new event, or a Redis that
 * lost its data). Issued users are restored before the metadata, so one-per-user holds across a
 * Redis loss; the stock left is the stock minus everyone known to have a coupon. False when the
 * event is not in MySQL either.
 */
export type WarmDeps = Pick<CouponDeps, "db" | "redis" | "keys" | "logger">;

export async function warmEvent(deps: WarmDeps, eventId: number): Promise<boolean> {
  const row = await findEvent(deps.db, { id: eventId });
  if (!row) return false;
  const k = deps.keys.event(eventId);
  if (!(await deps.redis.exists(k.meta))) {
    for (let after = 0; ; ) {
      const rows = await listEventIssuances(deps.db, { eventId, afterId: after, limit: WARM_CHUNK });
      if (rows.length === 0) break;
      await deps.redis.hset(
        k.issued,
        ...rows.flatMap((r) => [r.userId, `${r.couponId}|${r.issuedAt.getTime()}`]),
      );
      after = rows[rows.length - 1]?.id ?? after;
    }
    const issued = await deps.redis.hlen(k.issued);
    if (await warm(deps.redis, k, metaFromRow(row), Math.max(0, row.stock - issued))) {
      deps.logger.info({ eventId, issued }, "event warmed from MySQL");
    }
  }
  await deps.redis.zadd(deps.keys.events, row.endsAt.getTime(), String(eventId));
  return true;
}

interface Cached {
  at: number;
  view: EventView;
  meta: EventMeta;
}

/** SPEC §6: event info costs 0–1 Redis round trips (cached in the process for up to 1 s). */
export function createEventCache(deps: WarmDeps, ttlMs = 1_000) {
  // Unknown ids are remembered too, so probing random ids cannot turn into a MySQL query each.
  const cache = new Map<number, Cached | { at: number }>();
  // Concurrent misses for one event share one read, so a burst costs one round trip, not one each.
  const reading = new Map<number, Promise<Cached | null>>();

  async function read(eventId: number): Promise<Cached | null> {
    const k = deps.keys.event(eventId);
    const results = (await deps.redis.pipeline().hgetall(k.meta).get(k.remaining).exec()) ?? [];
    const meta = parseMeta((results[0]?.[1] ?? {}) as Record<string, string>);
    if (!meta) return null;
    const remaining = Number(results[1]?.[1] ?? 0);
    return { at: Date.now(), meta, view: eventView(eventId, meta, remaining) };
  }

  return {
    async get(eventId: number): Promise<Cached | null> {
      const hit = cache.get(eventId);
      if (hit && Date.now() - hit.at < ttlMs) return "view" in hit ? hit : null;
      let pending = reading.get(eventId);
      if (!pending) {
        pending = (async () => {
          let fresh = await read(eventId);
          if (!fresh && (await warmEvent(deps, eventId))) fresh = await read(eventId);
          if (cache.size > 10_000) cache.clear();
          cache.set(eventId, fresh ?? { at: Date.now() });
          return fresh;
        })().finally(() => reading.delete(eventId));
        reading.set(eventId, pending);
      }
      return pending;
    },
  };
}

export type EventCache = ReturnType<typeof createEventCache>;
