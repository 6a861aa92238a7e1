import { type Keys, type QueueReply, type RedisClient, STATUS_BATCH, statusMany } from "@rushgate/redis";
import DataLoader from "dataloader";

/** Events with a batcher at once; past this the map starts afresh (a rush has a handful). */
const MAX_EVENTS = 1_000;

/**
 * Status polls of one event that arrive in the same turn of the event loop share one Redis call
 * (status-8.lua answers each user of a batch exactly as it answers a lone poll, and marks each
 * as seen). The batch is sent once the turn's I/O has been read
 * (setImmediate), so a poll waits for no timer; in a rush, the hundreds of polls one read of the
 * sockets brings cost one script call and one reply instead of hundreds. SPEC §6's budget of one
 * round trip per status is kept: a poll alone is one call, and a batch is one call for all of them.
 */
export function createStatusBatcher(redis: RedisClient, keys: Keys) {
  const loaders = new Map<number, DataLoader<string, QueueReply>>();

  function loader(eventId: number) {
    let l = loaders.get(eventId);
    if (l) return l;
    if (loaders.size >= MAX_EVENTS) loaders.clear();
    const k = keys.event(eventId);
    l = new DataLoader<string, QueueReply>((userIds) => statusMany(redis, k, userIds as string[]), {
      cache: false,
      maxBatchSize: STATUS_BATCH,
      batchScheduleFn: (send) => setImmediate(send),
    });
    loaders.set(eventId, l);
    return l;
  }

  return (eventId: number, userId: string): Promise<QueueReply> => loader(eventId).load(userId);
}

export type StatusBatcher = ReturnType<typeof createStatusBatcher>;
