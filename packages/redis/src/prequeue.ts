import type { RedisClient } from "./client";
import type { EventKeys } from "./keys";

/**
 * Typed calls of the pre-queue shuffle (lua/includes/prequeue.lua, lua/shuffle-4.lua). The order
 * is computed by the caller (prequeueOrder in @rushgate/api); these read the block and apply it
 * in bounded steps.
 */

/** Users read per ZRANGEBYSCORE, and score/user pairs applied per shuffle-4.lua step. */
export const BLOCK_READ_CHUNK = 10_000;
export const SHUFFLE_STEP = 2_000;

export interface PrequeueBlock {
  /** The secret seed (hex); null when the event has none (not a shuffle event). */
  seed: string | null;
  /** Everyone in waiting with a score <= preSeq: entered before startsAt and still here. */
  users: string[];
}

/**
 * Reads the block in chunks, by a score cursor (scores are distinct), so nobody is skipped
 * when others leave meanwhile. Scores an interrupted attempt already gave are <= preSeq too.
 */
export async function readPrequeueBlock(redis: RedisClient, k: EventKeys): Promise<PrequeueBlock> {
  const [seed, preSeq] = await Promise.all([redis.hget(k.meta, "seed"), redis.hget(k.sched, "preSeq")]);
  const pre = Number(preSeq ?? 0);
  const users: string[] = [];
  let from = "-inf";
  for (;;) {
    const page = await redis.zrangebyscore(k.waiting, from, pre, "WITHSCORES", "LIMIT", 0, BLOCK_READ_CHUNK);
    for (let i = 0; i < page.length; i += 2) users.push(page[i] as string);
    if (page.length < 2 * BLOCK_READ_CHUNK) break;
    from = `(${page[page.length - 1]}`;
  }
  return { seed: seed || null, users };
}

export type ShuffleStepReply = { kind: "ok"; value: number } | { kind: "incomplete" | "fenced" | "noop" };

function parseShuffle(reply: number[]): ShuffleStepReply {
  if (reply[0] === 1) return { kind: "ok", value: reply[1] ?? 0 };
  if (reply[0] === 0) return { kind: "incomplete" };
  return { kind: reply[0] === -1 ? "fenced" : "noop" };
}

/** Gives `ordered[i]` the score i - n (n = ordered.length), one bounded step. */
export async function applyShuffleStep(
  redis: RedisClient,
  k: EventKeys,
  fence: number,
  ordered: readonly string[],
  from: number,
): Promise<ShuffleStepReply> {
  const pairs: (string | number)[] = [];
  const to = Math.min(ordered.length, from + SHUFFLE_STEP);
  for (let i = from; i < to; i++) pairs.push(i - ordered.length, ordered[i] as string);
  return parseShuffle(await redis.rgShuffleV2(k.meta, k.waiting, k.sched, k.log, fence, "apply", ...pairs));
}

/** Marks the shuffle done (meta.shuffledAt) once every member of the block has its score. */
export async function finishShuffle(
  redis: RedisClient,
  k: EventKeys,
  fence: number,
): Promise<ShuffleStepReply> {
  return parseShuffle(await redis.rgShuffleV2(k.meta, k.waiting, k.sched, k.log, fence, "finish"));
}
