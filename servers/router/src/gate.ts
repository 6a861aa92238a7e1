import type { Logger } from "@rushgate/logger";
import { type GateSnapshot, gateSync, type Keys, type RedisClient } from "@rushgate/redis";

export type GateDecision = "direct" | "queue" | "sold_out" | "not_open";

interface Tracked {
  snapshot: GateSnapshot;
  /** Entries counted here since the last successful flush. */
  pending: number;
  lastUsed: number;
}

export interface GateOptions {
  redis: RedisClient;
  keys: Keys;
  syncMs: number;
  defaultThreshold: number;
  log: Logger;
  /** Asks the coupon server to warm an event missing from Redis; true when it exists. */
  warm: (eventId: number) => Promise<boolean>;
}

const FORGET_AFTER_MS = 10 * 60_000;
const NEGATIVE_TTL_MS = 2_000;

/**
 * The router's gate (SPEC §3). Entry requests are counted in memory; every `syncMs` one pipeline
 * adds the counts to Redis and reads back, per event, the global live RPM, queue sizes and
 * settings, plus the global threshold. Deciding costs no Redis call; only the first request for
 * an event this instance has never seen waits for one sync of that event.
 */
export function createGate(options: GateOptions) {
  const { redis, keys, log } = options;
  const tracked = new Map<number, Tracked>();
  const missing = new Map<number, number>();
  let threshold = options.defaultThreshold;
  // Bumped by setGlobalThreshold: a sync that read Redis before a change here must not undo it.
  let thresholdVersion = 0;
  /** Redis's clock minus this process's, from the last sync: the window is judged by Redis's. */
  let clockOffset = 0;
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;

  async function sync(only?: number): Promise<void> {
    const now = Date.now();
    const version = thresholdVersion;
    const ids = only === undefined ? [...tracked.keys()] : [only];
    const deltas = ids.map((id) => tracked.get(id)?.pending ?? 0);
    for (const id of ids) {
      const t = tracked.get(id);
      if (t) t.pending = 0;
    }
    // Issued together: one write on this auto-pipelining client (one per node on a cluster).
    const [thresholdResult, ...results] = await Promise.allSettled([
      redis.get(keys.threshold),
      ...ids.map((id, i) => gateSync(redis, keys.event(id), deltas[i] ?? 0)),
    ]);
    if (thresholdResult?.status === "fulfilled" && version === thresholdVersion) {
      const value = thresholdResult.value;
      threshold = value == null ? options.defaultThreshold : Number(value);
    }
    let failure: unknown;
    for (const [i, result] of results.entries()) {
      const id = ids[i] as number;
      const t = tracked.get(id);
      if (result.status === "fulfilled") {
        clockOffset = result.value.now - Date.now();
        if (t) t.snapshot = result.value;
        else tracked.set(id, { snapshot: result.value, pending: 0, lastUsed: now });
      } else {
        // Nothing counted is lost: the delta goes back and rides on the next flush.
        failure = result.reason;
        if (t) t.pending += deltas[i] ?? 0;
      }
    }
    if (failure) throw failure;
    for (const [id, t] of tracked)
      if (now - t.lastUsed > FORGET_AFTER_MS && t.pending === 0) tracked.delete(id);
  }

  function loop() {
    inflight = sync()
      .catch((err) => log.warn({ err }, "gate sync failed"))
      .finally(() => {
        inflight = undefined;
        if (timer) timer = setTimeout(loop, options.syncMs);
      });
  }

  /** The snapshot of an event, syncing it once if this instance has not seen it; null = no such event. */
  async function lookup(eventId: number): Promise<GateSnapshot | null> {
    const known = tracked.get(eventId);
    if (known?.snapshot.found) {
      known.lastUsed = Date.now();
      return known.snapshot;
    }
    const missingUntil = missing.get(eventId);
    if (missingUntil !== undefined && missingUntil > Date.now()) return null;
    await sync(eventId);
    let snapshot = tracked.get(eventId)?.snapshot;
    if (!snapshot?.found && (await options.warm(eventId))) {
      await sync(eventId);
      snapshot = tracked.get(eventId)?.snapshot;
    }
    if (!snapshot?.found) {
      tracked.delete(eventId);
      if (missing.size > 10_000) missing.clear();
      missing.set(eventId, Date.now() + NEGATIVE_TTL_MS);
      return null;
    }
    return snapshot;
  }

  function thresholdOf(snapshot: GateSnapshot): number {
    return snapshot.rpmThreshold ?? threshold;
  }

  /** Live RPM as this instance knows it: the global figure plus what it has not flushed yet. */
  function liveRpm(eventId: number): number {
    const t = tracked.get(eventId);
    return t ? t.snapshot.liveRpm + t.pending : 0;
  }

  /** SPEC §3 step 3, from the snapshot; the admit script re-checks the queue and the room. */
  function decide(eventId: number, now = Date.now() + clockOffset): GateDecision {
    const t = tracked.get(eventId);
    if (!t) return "queue";
    const s = t.snapshot;
    // The order of packages/redis/src/lua/includes/event-state.lua (no user here: ended first).
    if (now >= s.endsAt) return "not_open";
    if (s.remaining <= 0) return "sold_out";
    if (now < s.startsAt) return "queue";
    // A kill switch (paused, queue all, entry closed): the queue's scripts decide, per user.
    if (s.switches.paused || s.switches.queueAll || s.switches.entryClosed) return "queue";
    if (liveRpm(eventId) >= thresholdOf(s)) return "queue";
    if (s.waiting > 0 || s.running >= s.runningCapacity) return "queue";
    return "direct";
  }

  /** Entries this instance counted that Redis has not seen yet. */
  function unflushed(eventId: number): number {
    return tracked.get(eventId)?.pending ?? 0;
  }

  function count(eventId: number): void {
    const t = tracked.get(eventId);
    if (t) t.pending += 1;
  }

  /** A direct admission took a slot: reflect it before the next sync so a burst cannot overfill. */
  function tookSlot(eventId: number): void {
    const t = tracked.get(eventId);
    if (t) t.snapshot.running += 1;
  }

  return {
    lookup,
    decide,
    count,
    tookSlot,
    liveRpm,
    unflushed,
    globalThreshold: () => threshold,
    setGlobalThreshold(value: number) {
      threshold = value;
      thresholdVersion += 1;
    },
    start() {
      timer = setTimeout(loop, options.syncMs);
    },
    /** Stops the loop and flushes what was counted since the last sync. */
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inflight;
      await sync().catch((err) => log.warn({ err }, "final gate flush failed"));
    },
  };
}

export type Gate = ReturnType<typeof createGate>;
