import { issuanceJobId, parseIssuanceJobId } from "@rushgate/api";
import type { Keys, RedisClient } from "@rushgate/redis";
import type { Queue } from "bullmq";

/**
 * Each event's `failed` set holds the users whose issuance job sits in BullMQ's failed set, so the
 * admin stats count failures in O(1) (SCARD) instead of reading the failed jobs. The worker adds a
 * user the moment their job fails for good and the reconciler removes them when it retries it;
 * `syncFailedSets` repairs what a crash between BullMQ's move and ours, or a job failed by the
 * stalled-job check (which emits no `failed` event), left out of step.
 */
export async function markFailed(redis: RedisClient, keys: Keys, eventId: number, userId: string) {
  await redis.sadd(keys.event(eventId).failed, userId);
}

export async function unmarkFailed(redis: RedisClient, keys: Keys, eventId: number, userId: string) {
  await redis.srem(keys.event(eventId).failed, userId);
}

const CHUNK = 1000;

/** Makes every event's failed set equal to the users of its jobs in BullMQ's failed set. */
export async function syncFailedSets(
  redis: RedisClient,
  keys: Keys,
  queue: Queue,
  eventIds: number[],
): Promise<{ added: number; removed: number }> {
  const failedKey = queue.toKey("failed");
  let added = 0;
  let removed = 0;
  // Jobs that failed without our mark.
  let cursor = "0";
  do {
    const [next, flat] = await redis.zscan(failedKey, cursor, "COUNT", CHUNK);
    cursor = next;
    const byEvent = new Map<number, string[]>();
    for (let i = 0; i < flat.length; i += 2) {
      const id = parseIssuanceJobId(flat[i] as string);
      if (id) byEvent.set(id.eventId, [...(byEvent.get(id.eventId) ?? []), id.userId]);
    }
    for (const [eventId, users] of byEvent) added += await redis.sadd(keys.event(eventId).failed, ...users);
  } while (cursor !== "0");
  // Marks whose job is no longer failed (retried, trimmed, or marked just before a retry).
  for (const eventId of eventIds) {
    const setKey = keys.event(eventId).failed;
    let setCursor = "0";
    do {
      const [next, users] = await redis.sscan(setKey, setCursor, "COUNT", CHUNK);
      setCursor = next;
      if (users.length === 0) continue;
      const jobIds = users.map((u) => issuanceJobId(eventId, u));
      const scores = await redis.zmscore(failedKey, ...jobIds);
      const gone = users.filter((_, i) => scores[i] == null);
      if (gone.length > 0) removed += await redis.srem(setKey, ...gone);
    } while (setCursor !== "0");
  }
  return { added, removed };
}
