import { Cluster, Redis, type RedisOptions } from "ioredis";
import { defineCommands } from "./commands";

/** A single Redis or a Redis Cluster: every key one script touches shares a hash tag. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  name?: string;
  /** For BullMQ workers, which need `maxRetriesPerRequest: null`. */
  blocking?: boolean;
  /** Batch commands issued in the same tick into one write (one round trip per node). */
  autoPipeline?: boolean;
  /** `host:port` seed nodes: connect to a Redis Cluster instead of `url`. */
  clusterNodes?: string[];
}

/**
 * A Redis connection with rushgate's scripts defined. Request-path clients fail fast instead of
 * queueing commands forever while Redis is away; BullMQ workers wait (`blocking`).
 */
export function createRedis(url: string, options: RedisClientOptions = {}): RedisClient {
  const redisOptions: RedisOptions = {
    connectionName: options.name,
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableReadyCheck: true,
    enableAutoPipelining: options.autoPipeline ?? false,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  };
  if (options.clusterNodes?.length) {
    const { username, password } = new URL(url);
    const cluster = new Cluster(
      options.clusterNodes.map((node) => {
        const [host, port] = node.split(":");
        return { host: host ?? "127.0.0.1", port: Number(port ?? 6379) };
      }),
      {
        redisOptions: { ...redisOptions, username: username || undefined, password: password || undefined },
        enableAutoPipelining: options.autoPipeline ?? false,
        enableReadyCheck: true,
        clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
      },
    );
    return defineCommands(cluster);
  }
  return defineCommands(new Redis(url, redisOptions));
}

/** Quits politely; disconnects if Redis does not answer. */
export async function closeRedis(redis: RedisClient): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
