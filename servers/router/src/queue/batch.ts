import {
  createEventBatcher,
  enterMany,
  type Keys,
  QUEUE_BATCH,
  type QueueReply,
  type RedisClient,
  statusMany,
} from "@rushgate/redis";

/**
 * Status polls and entries of one event that arrive in the same turn of the event loop share
 * one Redis call (createEventBatcher): status-8.lua and enter-10.lua answer each user of a batch
 * exactly as they answer a user alone, entries in arrival order (a later one queues behind an
 * earlier one).
 */
export function createStatusBatcher(redis: RedisClient, keys: Keys) {
  return createEventBatcher<string, QueueReply>(
    (eventId, userIds) => statusMany(redis, keys.event(eventId), userIds),
    QUEUE_BATCH,
  );
}

export function createEnterBatcher(redis: RedisClient, keys: Keys) {
  return createEventBatcher<string, QueueReply>(
    (eventId, userIds) => enterMany(redis, keys.event(eventId), userIds),
    QUEUE_BATCH,
  );
}

export type QueueBatcher = ReturnType<typeof createStatusBatcher>;
