import type { RedisClient } from "@rushgate/redis";

/**
 * Keys the servers rewrite on their own timers, whatever the requests: the routers' RPM counters
 * (flushed every 250 ms) and the scheduler's bookkeeping (`sched`: fence, rate, last tick;
 * `flow`: its measured tick period and issue rate, for the preview). A test that proves a request
 * "changes nothing" compares everything else.
 */
const BACKGROUND = /:(rpm|sched|flow)$/;

/** Every key under `prefix` and what it holds, the background keys aside. */
export async function redisState(redis: RedisClient, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${prefix}:*`)).filter((k) => !BACKGROUND.test(k)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === "string") out[key] = await redis.get(key);
    else if (type === "hash") out[key] = await redis.hgetall(key);
    else if (type === "zset") out[key] = await redis.zrange(key, 0, -1, "WITHSCORES");
    else if (type === "set") out[key] = (await redis.smembers(key)).sort();
    else out[key] = type;
  }
  return out;
}
