import { type EventMeta, type Keys, type RedisClient, warm } from "@rushgate/redis";

let nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);

/**
 * Puts an event straight into Redis (as the coupon server's warm-up does) for tests of the Lua
 * scripts; open now, 100 in stock, unless overridden.
 */
export async function createRedisEvent(
  redis: RedisClient,
  keys: Keys,
  overrides: Partial<EventMeta> & { remaining?: number } = {},
): Promise<{ id: number; meta: EventMeta }> {
  const id = nextId++;
  const now = Date.now();
  const meta: EventMeta = {
    name: `event ${id}`,
    stock: 100,
    startsAt: now - 60_000,
    endsAt: now + 3_600_000,
    rpmThreshold: null,
    runningCapacity: 1000,
    admitPerTick: 200,
    admissionTtlSeconds: 300,
    idleTimeoutSeconds: 30,
    actWithinSeconds: 30,
    switches: { paused: false, queueAll: false, entryClosed: false },
    globalSwitches: { paused: false, queueAll: false, entryClosed: false },
    prequeue: "fifo",
    seed: null,
    ...overrides,
  };
  await warm(redis, keys.event(id), meta, overrides.remaining ?? meta.stock);
  await redis.zadd(keys.events, meta.endsAt, String(id));
  return { id, meta };
}
