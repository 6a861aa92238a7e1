import { issuanceJobId } from "@rushgate/api";
import { type Keys, type RedisClient, retireEventKeys } from "@rushgate/redis";
import type { Queue } from "bullmq";

/**
 * The waiting room's scheduler keeps ticking an event for 60 s after its end
 * (servers/waiting-room/src/scheduler.ts), and a tick writes the event's `sched` fence before it
 * looks at the event: a tick in flight during a retirement would leave that key behind. So no
 * event is retired sooner than twice that after its end, whatever the retention.
 */
export const SCHEDULER_QUIET_MS = 120_000;

/** Every event the platform still keeps in Redis, with its end (ms). */
export async function listKeptEvents(
  redis: RedisClient,
  keys: Keys,
): Promise<{ eventId: number; endsAt: number }[]> {
  const flat = await redis.zrange(keys.events, 0, -1, "WITHSCORES");
  const events: { eventId: number; endsAt: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2)
    events.push({ eventId: Number(flat[i]), endsAt: Number(flat[i + 1]) });
  return events;
}

/**
 * How many of these users' issuance jobs are still to run (waiting, delayed, active or failed):
 * one EXISTS over all their job hashes (they share BullMQ's slot), then a state read only for the
 * few that exist, since completed jobs are normally removed at once.
 */
export async function countPendingJobs(
  redis: RedisClient,
  queue: Queue,
  eventId: number,
  userIds: string[],
): Promise<number> {
  if (userIds.length === 0) return 0;
  const jobIds = userIds.map((u) => issuanceJobId(eventId, u));
  if ((await redis.exists(...jobIds.map((id) => queue.toKey(id)))) === 0) return 0;
  let pending = 0;
  for (const jobId of jobIds) {
    const state = await queue.getJobState(jobId);
    if (state !== "completed" && state !== "unknown") pending += 1;
  }
  return pending;
}

/**
 * Removes an event from Redis (SPEC §7: nothing grows forever): its entry in `events` first, then
 * every key under its hash tag in one UNLINK (one slot). The caller has checked that the event
 * ended over a retention period ago and that MySQL holds every issuance with no job left; after
 * the end nothing adds an issuance, so that check cannot go stale. A coupon server that warms
 * the event from MySQL meanwhile re-adds the `events` entry after its keys (in that order), so
 * whatever it writes is retired again on the next pass rather than left behind. The keys stay
 * while the admission log holds a record MySQL does not have (the caller drains it first).
 */
export async function retireEvent(
  redis: RedisClient,
  keys: Keys,
  eventId: number,
  endsAt: number,
): Promise<boolean> {
  await redis.zrem(keys.events, String(eventId));
  if (await retireEventKeys(redis, keys.event(eventId))) return true;
  // Its admission log got a record after the caller drained it: keep the event for the next pass.
  await redis.zadd(keys.events, endsAt, String(eventId));
  return false;
}
