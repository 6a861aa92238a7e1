import { Redis, type RedisOptions } from "ioredis";
import { defineCommands } from "./commands";

/**
 * A Redis connection with rushgate's scripts defined. `blocking: true` is for BullMQ workers,
 * which need `maxRetriesPerRequest: null`; request-path clients fail fast instead of queueing
 * commands forever while Redis is away.
 */
export function createRedis(url: string, options: { name?: string; blocking?: boolean } = {}): Redis {
  const redisOptions: RedisOptions = {
    connectionName: options.name,
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  };
  return defineCommands(new Redis(url, redisOptions));
}

/** Quits politely; disconnects if Redis does not answer. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
