import { createKeys, createRedis, schedule } from "@rushgate/redis";
import { createRedisEvent } from "@rushgate/testing";
import type { Redis } from "ioredis";
import { type Summary, summarize } from "../stats";

export interface TickResult {
  waiting: number;
  ticks: number;
  /** Round trip of the call as the scheduler sees it (ms). */
  client: Summary;
  /** Time Redis spent in the script, from INFO commandstats (ms). */
  server: Summary;
  movedPerTick: number;
}

async function evalshaUsec(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info("commandstats");
  const m = /^cmdstat_evalsha:calls=(\d+),usec=(\d+)/m.exec(info);
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

/**
 * One scheduler tick (one schedule-8.lua tick, as the waiting room's scheduler makes it) for an event
 * with `waiting` people in the queue, all of them recently seen (no evictions) and room for a full
 * admitPerTick (200). Before each measured tick the running set is emptied and the queue topped
 * back up to `waiting`, so every tick does the same full work.
 */
export async function measureTick(options: {
  redisUrl: string;
  waiting: number;
  ticks: number;
}): Promise<TickResult> {
  const redis = createRedis(options.redisUrl, { name: "bench-tick" }) as Redis;
  const keys = createKeys(`tick${Date.now().toString(36)}`);
  try {
    const { id } = await createRedisEvent(redis, keys, {
      stock: 10_000_000,
      runningCapacity: 1000,
      admitPerTick: 200,
    });
    const k = keys.event(id);
    let seq = 0;
    const addWaiters = async (count: number) => {
      const now = Date.now();
      for (let i = 0; i < count; i += 5000) {
        const p = redis.pipeline();
        const w: (string | number)[] = [];
        const s: (string | number)[] = [];
        for (let j = i; j < Math.min(count, i + 5000); j++) {
          seq += 1;
          w.push(seq, `u${seq}`);
          s.push(now, `u${seq}`);
        }
        p.zadd(k.waiting, ...w).zadd(k.seen, ...s);
        await p.exec();
      }
    };
    await addWaiters(options.waiting);
    const tick = async () => {
      const t0 = performance.now();
      const { moved } = await schedule(redis, k, 1);
      return { ms: performance.now() - t0, moved };
    };
    await tick(); // loads the script
    const samples: number[] = [];
    let moved = 0;
    const server: number[] = [];
    for (let i = 0; i < options.ticks; i++) {
      await redis.del(k.running);
      const short = options.waiting - (await redis.zcard(k.waiting));
      if (short > 0) await addWaiters(short);
      const before = await evalshaUsec(redis);
      const t = await tick();
      const after = await evalshaUsec(redis);
      samples.push(t.ms);
      moved += t.moved;
      server.push((after.usec - before.usec) / Math.max(1, after.calls - before.calls) / 1000);
    }
    await redis.del(k.waiting, k.seen, k.running, k.meta, k.remaining, k.sched, keys.events);
    return {
      waiting: options.waiting,
      ticks: options.ticks,
      client: summarize(samples),
      server: summarize(server),
      movedPerTick: moved / options.ticks,
    };
  } finally {
    redis.disconnect();
  }
}
