import { prequeueOrder } from "@rushgate/api";
import {
  applyShuffleStep,
  type EventKeys,
  finishShuffle,
  type RedisClient,
  readPrequeueBlock,
  SHUFFLE_STEP,
  schedule,
  type TickResult,
} from "@rushgate/redis";

export interface ShuffleResult {
  /** A newer lease holder has ticked this event: stop. */
  fenced: boolean;
  /** meta.shuffledAt is set (by this call or an earlier one). */
  done: boolean;
  /** How many people the block held. */
  users: number;
}

export interface ShuffleHooks {
  /**
   * Renews the caller's lease; false once it is lost. A large block takes longer than a lease
   * (100,000 people: about a second), and a leader that let it lapse would be replaced part-way
   * again and again; it is called between steps, at most every LEASE_RENEW_MS.
   */
  keepLease?: () => Promise<boolean>;
  onShuffled?: (result: ShuffleResult) => void;
}

const LEASE_RENEW_MS = 250;

/**
 * The shuffle of a pre-queue at the start (README, "Fairness: the pre-queue"): reads the block
 * (everyone who entered before startsAt and still waits), orders it with prequeueOrder, and
 * applies the order in bounded shuffle-4.lua steps under the caller's fence. Any attempt reads
 * and rewrites the whole block, so one cut short by a failover is simply done again by the next
 * leader, with the same result; shuffledAt is set once, when every member has its place.
 */
export async function shufflePrequeue(
  redis: RedisClient,
  k: EventKeys,
  fence: number,
  hooks: ShuffleHooks = {},
): Promise<ShuffleResult> {
  let renewed = performance.now();
  const stillLeader = async () => {
    if (!hooks.keepLease || performance.now() - renewed < LEASE_RENEW_MS) return true;
    renewed = performance.now();
    return hooks.keepLease();
  };
  const block = await readPrequeueBlock(redis, k);
  if (!block.seed) throw new Error("a shuffle event without a seed in Redis");
  const ordered = prequeueOrder(block.seed, block.users);
  const result = { fenced: false, done: false, users: ordered.length };
  for (let from = 0; from < ordered.length; from += SHUFFLE_STEP) {
    if (!(await stillLeader())) return { ...result, fenced: true };
    const step = await applyShuffleStep(redis, k, fence, ordered, from);
    if (step.kind === "fenced") return { ...result, fenced: true };
    if (step.kind === "noop") return { ...result, done: true };
  }
  if (!(await stillLeader())) return { ...result, fenced: true };
  const finish = await finishShuffle(redis, k, fence);
  if (finish.kind === "fenced") return { ...result, fenced: true };
  // "incomplete": someone of the block was not read (cannot happen with the score cursor, but
  // the check is what lets nobody be admitted out of order): the next tick reads it again.
  return { ...result, done: finish.kind !== "incomplete" };
}

/** One event's tick: the shuffle first when it is due, then admissions as usual. */
export async function tickEvent(
  redis: RedisClient,
  k: EventKeys,
  fence: number,
  hooks: ShuffleHooks = {},
): Promise<TickResult> {
  const first = await schedule(redis, k, fence);
  if (!first.shuffle) return first;
  const shuffled = await shufflePrequeue(redis, k, fence, hooks);
  if (shuffled.fenced) return { ...first, fenced: true };
  if (!shuffled.done) return first;
  hooks.onShuffled?.(shuffled);
  const rest = await schedule(redis, k, fence);
  return {
    ...rest,
    expired: first.expired + rest.expired,
    evicted: first.evicted + rest.evicted,
  };
}
