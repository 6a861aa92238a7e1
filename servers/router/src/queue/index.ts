import { type AdmittedBody, ApiError, type WaitingBody } from "@rushgate/api";
import {
  createEventBatcher,
  enterMany,
  type Keys,
  leave,
  type QueueReply,
  type RedisClient,
  statusMany,
} from "@rushgate/redis";
import { queueAnswer } from "./answer";

export { createStreamHub, type StreamHub } from "./streams";

export interface QueueDeps {
  redis: RedisClient;
  keys: Keys;
  secret: string;
  /**
   * Status polls and entries, batched per event and turn of the event loop (createEventBatcher):
   * status-8.lua and enter-10.lua answer each user of a batch as they answer a user alone,
   * entries in arrival order.
   */
  status: (eventId: number, userId: string) => Promise<QueueReply>;
  enter: (eventId: number, userId: string) => Promise<QueueReply>;
}

export function createQueueDeps(options: { redis: RedisClient; keys: Keys; secret: string }): QueueDeps {
  const { redis, keys } = options;
  return {
    ...options,
    status: createEventBatcher(keys, (k, userIds: readonly string[]) => statusMany(redis, k, userIds)),
    enter: createEventBatcher(keys, (k, userIds: readonly string[]) => enterMany(redis, k, userIds)),
  };
}

/**
 * The waiting room's three requests (SPEC §4), each one Redis round trip, answered by the
 * process that receives them: a poll never crosses a second Node process. The waiting-room
 * server only schedules (moves waiting → running); its state lives in Redis.
 */
export async function queueStatus(q: QueueDeps, eventId: number, userId: string) {
  return (await queueStatusReply(q, eventId, userId)).body;
}

/** The status, with the script's reply it was made from (the event streams compare replies). */
export async function queueStatusReply(q: QueueDeps, eventId: number, userId: string) {
  const reply = await q.status(eventId, userId);
  return { reply, body: queueAnswer(reply, { secret: q.secret, eventId, userId }) };
}

/** What an entry answers (SPEC §6); every refusal is thrown as an ApiError. */
export type EntryResult = { status: 200; body: AdmittedBody } | { status: 202; body: WaitingBody };

/**
 * An entry's answer from the admit or enter script's reply: 200 admitted, 202 waiting; sold out
 * is `410 sold_out` (an entry is refused, where a waiter's status says so).
 */
export function entryAnswer(q: QueueDeps, reply: QueueReply, eventId: number, userId: string): EntryResult {
  const body = queueAnswer(reply, { secret: q.secret, eventId, userId });
  if (body.status === "waiting") return { status: 202, body };
  if (body.status === "sold_out") throw new ApiError("sold_out", "the coupons are all gone");
  return { status: 200, body };
}

/** Joins the queue (idempotent: entering again keeps the place). */
export async function joinQueue(q: QueueDeps, eventId: number, userId: string): Promise<EntryResult> {
  return entryAnswer(q, await q.enter(eventId, userId), eventId, userId);
}

/** Leaves the queue or gives the slot back; leaving twice is fine. */
export async function leaveQueue(q: QueueDeps, eventId: number, userId: string): Promise<void> {
  await leave(q.redis, q.keys.event(eventId), userId);
}
