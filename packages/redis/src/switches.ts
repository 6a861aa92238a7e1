import type { RedisClient } from "./client";
import type { EventKeys, Keys } from "./keys";
import { redisNow } from "./operations";
import { parseSwitchLetters, type SwitchFlags, switchLetters } from "./switch-flags";

/** Writes an event's own switches into its meta, if it is warm (switch-1.lua). */
export async function setEventSwitches(redis: RedisClient, k: EventKeys, s: SwitchFlags): Promise<boolean> {
  return (await redis.rgSwitchV1(k.meta, "switches", switchLetters(s))) === 1;
}

export async function getGlobalSwitches(redis: RedisClient, keys: Keys): Promise<SwitchFlags> {
  return parseSwitchLetters(await redis.get(keys.switches));
}

/**
 * Copies the global switches into the meta of events (each its own call: on a cluster every
 * event has its own slot). Returns how many were warm and took them.
 */
async function fanOutGlobalSwitches(
  redis: RedisClient,
  keys: Keys,
  eventIds: number[],
  s: SwitchFlags,
): Promise<number> {
  const letters = switchLetters(s);
  const written = await Promise.all(
    eventIds.map((id) => redis.rgSwitchV1(keys.event(id).meta, "globalSwitches", letters)),
  );
  return written.filter((n) => n === 1).length;
}

/**
 * Sets the global record, then copies it to every event not ended yet (rg:events). A warm does
 * the reverse (joins rg:events, then reads the record: applyGlobalSwitches), so an event warmed
 * meanwhile misses no change.
 */
export async function setGlobalSwitches(redis: RedisClient, keys: Keys, s: SwitchFlags): Promise<number> {
  await redis.set(keys.switches, switchLetters(s));
  const now = await redisNow(redis);
  const ids = (await redis.zrangebyscore(keys.events, `(${now}`, "+inf")).map(Number);
  return fanOutGlobalSwitches(redis, keys, ids, s);
}

/** After a warm: the event takes the global switches as they are now. */
export async function applyGlobalSwitches(redis: RedisClient, keys: Keys, eventId: number): Promise<void> {
  await fanOutGlobalSwitches(redis, keys, [eventId], await getGlobalSwitches(redis, keys));
}

/**
 * Ends an event now (end-6.lua) at `endsAt` (Redis's clock, as MySQL got it) and moves its
 * rg:events score, so retention and the fan-out follow. False when the event is not warm (its
 * warm-up then reads the new end from MySQL).
 */
export async function endEventNow(
  redis: RedisClient,
  keys: Keys,
  eventId: number,
  endsAt: number,
): Promise<boolean> {
  const k = keys.event(eventId);
  const reply = await redis.rgEndV2(k.meta, k.waiting, k.running, k.seen, k.admitted, k.log, endsAt);
  if (Number(reply[0]) !== 1) return false;
  await redis.zadd(keys.events, endsAt, String(eventId));
  return true;
}
