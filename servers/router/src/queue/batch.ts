import {
  type EventKeys,
  enterMany,
  type Keys,
  QUEUE_BATCH,
  type QueueReply,
  type RedisClient,
  statusMany,
} from "@rushgate/redis";
import DataLoader from "dataloader";

/** Events with a batcher at once; past this the map starts afresh (a rush has a handful). */
const MAX_EVENTS = 1_000;

type ManyCall = (redis: RedisClient, k: EventKeys, userIds: string[]) => Promise<QueueReply[]>;

/**
 * The requests of one event that arrive in the same turn of the event loop share one Redis call:
 * status-8.lua and enter-10.lua take many users at once and answer each exactly as they answer
 * a user alone (entries in arrival order: a later one queues behind an earlier one). The batch
 * is sent once the turn's I/O has been read (setImmediate), so a request waits for no timer; in a
 * rush, the hundreds of polls one read of the sockets brings cost one script call and one reply
 * instead of hundreds. SPEC §6's budgets of one round trip per entry and per status are kept: a
 * request alone is one call, and a batch is one call for all of them.
 */
function createBatcher(redis: RedisClient, keys: Keys, many: ManyCall) {
  const loaders = new Map<number, DataLoader<string, QueueReply>>();

  function loader(eventId: number) {
    let l = loaders.get(eventId);
    if (l) return l;
    if (loaders.size >= MAX_EVENTS) loaders.clear();
    const k = keys.event(eventId);
    l = new DataLoader<string, QueueReply>((userIds) => many(redis, k, userIds as string[]), {
      cache: false,
      maxBatchSize: QUEUE_BATCH,
      batchScheduleFn: (send) => setImmediate(send),
    });
    loaders.set(eventId, l);
    return l;
  }

  return (eventId: number, userId: string): Promise<QueueReply> => loader(eventId).load(userId);
}

export type QueueBatcher = ReturnType<typeof createBatcher>;

export const createStatusBatcher = (redis: RedisClient, keys: Keys) => createBatcher(redis, keys, statusMany);
export const createEnterBatcher = (redis: RedisClient, keys: Keys) => createBatcher(redis, keys, enterMany);
