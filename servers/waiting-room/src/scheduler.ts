import { randomUUID } from "node:crypto";
import type { Logger } from "@rushgate/logger";
import { applyChanges, type Keys, type RedisClient, redisNow } from "@rushgate/redis";
import type { Counter, Histogram } from "prom-client";
import { tickEvent } from "./prequeue";

export interface SchedulerOptions {
  redis: RedisClient;
  keys: Keys;
  tickMs: number;
  leaseMs: number;
  log: Logger;
  holderId?: string;
  metrics?: { admitted: Counter; tickSeconds: Histogram };
}

/** Ended events are still ticked for a minute so that their queues are cleared. */
const ENDED_GRACE_MS = 60_000;

/**
 * The scheduler of SPEC §4. Every waiting-room instance runs one; only the holder of the Redis
 * lease ticks. Each tick runs schedule-8.lua for every active event at once (one bounded step per
 * event, repeated only for ticks larger than a step), carrying the lease's fencing token so that
 * a former leader that was paused cannot tick after a takeover.
 */
export function createScheduler(options: SchedulerOptions) {
  const { redis, keys, log } = options;
  const holderId = options.holderId ?? `${process.pid}-${randomUUID()}`;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inflight: Promise<void> | undefined;
  let fence = 0;

  /** Renews the lease during a long step (a large pre-queue's shuffle); false once it is lost. */
  const keepLease = (held: number) => async () =>
    (await redis.rgLeaseV1(keys.schedulerLease, keys.schedulerFence, holderId, options.leaseMs)) === held;

  // Each event's previous tick, reported to apply-changes-7.lua for the preview's measures.
  const previous = new Map<number, { moved: number; expired: number }>();

  /** Due setting changes first, so a tick at a change's time already admits by the new settings. */
  async function tickOne(eventId: number, started: number) {
    const k = keys.event(eventId);
    const changes = await applyChanges(redis, k, fence, previous.get(eventId));
    previous.delete(eventId);
    if (changes.fenced) return { fenced: true, moved: 0, expired: 0, evicted: 0 };
    if (changes.applied.length > 0)
      log.info({ eventId, changes: changes.applied }, "scheduled changes applied");
    const result = await tickEvent(redis, k, fence, {
      keepLease: keepLease(fence),
      onShuffled: ({ users }) =>
        log.info({ eventId, users, ms: Math.round(performance.now() - started) }, "pre-queue shuffled"),
    });
    if (result.moved > 0 || result.expired > 0) previous.set(eventId, result);
    return result;
  }

  async function tick(): Promise<{ leader: boolean; moved: number }> {
    fence = await redis.rgLeaseV1(keys.schedulerLease, keys.schedulerFence, holderId, options.leaseMs);
    if (fence === 0) return { leader: false, moved: 0 };
    const started = performance.now();
    // Redis's clock, as in the scripts: a drifting server still ticks the events that need it.
    const now = await redisNow(redis);
    const ids = await redis.zrangebyscore(keys.events, now - ENDED_GRACE_MS, "+inf");
    if (ids.length === 0) return { leader: true, moved: 0 };
    // Every event's tick at once: due changes, then the step (two script calls each, in order).
    const results = await Promise.allSettled(ids.map((id) => tickOne(Number(id), started)));
    let moved = 0;
    for (const [i, settled] of results.entries()) {
      if (settled.status === "rejected") {
        log.error({ err: settled.reason, eventId: ids[i] }, "schedule tick failed");
        continue;
      }
      const result = settled.value;
      if (result.fenced) {
        log.warn({ fence }, "a newer scheduler holds the lease; standing down");
        return { leader: false, moved };
      }
      moved += result.moved;
    }
    options.metrics?.admitted.inc(moved);
    options.metrics?.tickSeconds.observe((performance.now() - started) / 1000);
    return { leader: true, moved };
  }

  function loop() {
    inflight = tick()
      .then(() => undefined)
      .catch((err) => log.warn({ err }, "scheduler tick failed"))
      .finally(() => {
        inflight = undefined;
        if (running) timer = setTimeout(loop, options.tickMs);
      });
  }

  return {
    holderId,
    tick,
    isLeader: () => fence > 0,
    start() {
      running = true;
      loop();
    },
    /** Stops ticking and gives the lease back so another instance takes over at once. */
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await inflight;
      await redis.rgReleaseV1(keys.schedulerLease, holderId).catch(() => 0);
      fence = 0;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
