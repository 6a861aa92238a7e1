import { type EventStatus, type EventView, NO_SWITCHES, seedCommitment } from "@rushgate/api";
import { type CouponEvent, eventTotals, findEvent, listEventIssuances } from "@rushgate/db";
import { applyGlobalSwitches, type EventMeta, getGlobalSwitches, parseMeta, warm } from "@rushgate/redis";
import type { CouponDeps } from "./app";
import { restorePendingChanges } from "./changes";
import { createTtlCache } from "./ttl-cache";

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
    switches: { paused: row.paused, queueAll: row.queueAll, entryClosed: row.entryClosed },
    globalSwitches: NO_SWITCHES,
    prequeue: row.prequeue,
    seed: row.prequeueSeed,
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

/**
 * The public view of an event: the only place that decides what of the pre-queue's seed is
 * shown. The commitment from creation on; the seed itself once the shuffle has run (Redis's
 * meta.shuffledAt) or the event has ended (after retention, MySQL alone does not know when).
 */
export function eventView(id: number, meta: EventMeta, remaining: number, now = Date.now()): EventView {
  const status = eventStatus(meta, remaining, now);
  const shuffle = meta.prequeue === "shuffle" && meta.seed !== null;
  const shuffledAt = shuffle ? (meta.shuffledAt ?? null) : null;
  const reveal = shuffle && (shuffledAt !== null || status === "ended");
  return {
    id,
    name: meta.name,
    stock: meta.stock,
    remaining: Math.max(0, remaining),
    startsAt: new Date(meta.startsAt).toISOString(),
    endsAt: new Date(meta.endsAt).toISOString(),
    status,
    prequeue: meta.prequeue,
    seedCommitment: shuffle && meta.seed ? seedCommitment(meta.seed) : null,
    seed: reveal ? meta.seed : null,
    shuffledAt: shuffledAt === null ? null : new Date(shuffledAt).toISOString(),
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
    const meta = { ...metaFromRow(row), globalSwitches: await getGlobalSwitches(deps.redis, deps.keys) };
    if (await warm(deps.redis, k, meta, Math.max(0, row.stock - issued))) {
      deps.logger.info({ eventId, issued }, "event warmed from MySQL");
      await restorePendingChanges(deps, eventId);
    }
  }
  await deps.redis.zadd(deps.keys.events, row.endsAt.getTime(), String(eventId));
  // Read after joining rg:events: a global switch set meanwhile reached the event one way or the
  // other (see setGlobalSwitches).
  await applyGlobalSwitches(deps.redis, deps.keys, eventId);
  return true;
}

interface Cached {
  view: EventView;
  meta: EventMeta;
}

export interface EventCacheOptions {
  /** How long an event read from Redis is served from the process (SPEC §6: up to 1 s). */
  ttlMs?: number;
  /**
   * How long an unknown id, and MySQL's event totals, are believed: the longest an event created
   * through another coupon instance can stay invisible to this one (EVENT_MISS_TTL_MS).
   */
  missTtlMs?: number;
  /** Most events, and most unknown ids, remembered. */
  maxEntries?: number;
}

/**
 * Event info for every route: from Redis (one pipelined read, cached for `ttlMs`), warmed from
 * MySQL when Redis lacks it. Unknown ids cost no MySQL query each: an id above the highest id
 * MySQL had a moment ago is unknown outright, and one at or below it that MySQL does not have is
 * remembered for `missTtlMs` in a bounded LRU. Creating an event here forgets both at once.
 */
export function createEventCache(deps: WarmDeps, options: EventCacheOptions = {}) {
  const ttlMs = options.ttlMs ?? 1_000;
  const missTtlMs = options.missTtlMs ?? 2_000;
  const max = options.maxEntries ?? 10_000;
  const found = createTtlCache<number, Cached>({ max, ttlMs });
  const missing = createTtlCache<number, true>({ max, ttlMs: missTtlMs });
  // Concurrent misses for one event share one read, so a burst costs one round trip, not one each.
  const reading = new Map<number, Promise<Cached | null>>();
  let totals: { at: number; value: Promise<{ count: number; maxId: number }> } | undefined;
  // Bumped by created(): a lookup that began before a creation must not remember "unknown".
  let generation = 0;

  async function read(eventId: number): Promise<Cached | null> {
    const k = deps.keys.event(eventId);
    const results = (await deps.redis.pipeline().hgetall(k.meta).get(k.remaining).exec()) ?? [];
    const meta = parseMeta((results[0]?.[1] ?? {}) as Record<string, string>);
    if (!meta) return null;
    const remaining = Number(results[1]?.[1] ?? 0);
    return { meta, view: eventView(eventId, meta, remaining) };
  }

  /** MySQL's event count and highest id, one query per `missTtlMs` at most (shared). */
  function eventTotalsCached(): Promise<{ count: number; maxId: number }> {
    const now = Date.now();
    if (!totals || now - totals.at >= missTtlMs) {
      const value = eventTotals(deps.db);
      totals = { at: now, value };
      value.catch(() => {
        if (totals?.value === value) totals = undefined; // retry on the next call
      });
    }
    return totals.value;
  }

  async function load(eventId: number): Promise<Cached | null> {
    const began = generation;
    let fresh = await read(eventId);
    if (!fresh) {
      const known = eventId <= (await eventTotalsCached()).maxId;
      if (known && (await warmEvent(deps, eventId))) fresh = await read(eventId);
    }
    if (fresh) found.set(eventId, fresh);
    else if (began === generation) missing.set(eventId, true);
    return fresh;
  }

  return {
    async get(eventId: number): Promise<Cached | null> {
      const hit = found.get(eventId);
      if (hit) return hit;
      if (missing.get(eventId)) return null;
      let pending = reading.get(eventId);
      if (!pending) {
        pending = load(eventId).finally(() => reading.delete(eventId));
        reading.set(eventId, pending);
      }
      return pending;
    },
    totals: eventTotalsCached,
    /** An event was just created through this instance: make it visible here at once. */
    created(eventId: number): void {
      generation += 1;
      missing.delete(eventId);
      found.delete(eventId);
      totals = undefined;
    },
    /** An event's settings changed through this instance: read them afresh here at once. */
    changed(eventId: number): void {
      found.delete(eventId);
    },
  };
}

export type EventCache = ReturnType<typeof createEventCache>;
