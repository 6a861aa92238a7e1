import type { RedisClient } from "./client";
import type { EventKeys } from "./keys";

/** Typed calls for scheduled changes (issue 13): the Redis copy of the schedule and its state. */

export type ChangeSet = Record<string, number | null>;

/** Copies scheduled changes into Redis (one MULTI on the event's slot): due at their time. */
export async function addChanges(
  redis: RedisClient,
  k: EventKeys,
  changes: { id: number; at: number; set: ChangeSet }[],
): Promise<void> {
  if (changes.length === 0) return;
  await redis
    .multi()
    .zadd(k.changesDue, ...changes.flatMap((c) => [c.at, String(c.id)]))
    .hset(k.changes, ...changes.flatMap((c) => [String(c.id), JSON.stringify(c.set)]))
    .exec();
}

/**
 * One scheduler tick's application of due changes for one event (apply-changes-7.lua); `fenced`
 * when a newer leader holds the lease.
 */
export async function applyChanges(
  redis: RedisClient,
  k: EventKeys,
  fence: number,
  previous: { moved: number; expired: number } = { moved: 0, expired: 0 },
): Promise<{ fenced: boolean; applied: number[] }> {
  const reply = await redis.rgApplyChangesV2(
    k.meta,
    k.changesDue,
    k.changes,
    k.changesApplied,
    k.sched,
    k.flow,
    k.issued,
    fence,
    previous.moved,
    previous.expired,
  );
  if (Number(reply[0]) === -1) return { fenced: true, applied: [] };
  return { fenced: false, applied: reply.slice(1).map(Number) };
}

export type CancelOutcome = "cancelled" | "applied" | "unknown";

export async function cancelChange(redis: RedisClient, k: EventKeys, id: number): Promise<CancelOutcome> {
  const r = await redis.rgCancelChangeV1(k.changesDue, k.changes, k.changesApplied, id);
  return r === 1 ? "cancelled" : r === 2 ? "applied" : "unknown";
}

/** Pending changes as Redis holds them, in the order they apply. */
export async function pendingChanges(
  redis: RedisClient,
  k: EventKeys,
): Promise<{ id: number; at: number; set: ChangeSet }[]> {
  const [due, data] = await Promise.all([
    redis.zrange(k.changesDue, 0, -1, "WITHSCORES"),
    redis.hgetall(k.changes),
  ]);
  const out: { id: number; at: number; set: ChangeSet }[] = [];
  for (let i = 0; i + 1 < due.length; i += 2) {
    const id = due[i] as string;
    const json = data[id];
    if (json) out.push({ id: Number(id), at: Number(due[i + 1]), set: JSON.parse(json) as ChangeSet });
  }
  return out.sort((a, b) => a.at - b.at || a.id - b.id);
}

/** Changes applied in Redis that MySQL has not been told of yet: id -> applied at (ms). */
export async function appliedChanges(redis: RedisClient, k: EventKeys): Promise<Map<number, number>> {
  const h = await redis.hgetall(k.changesApplied);
  return new Map(Object.entries(h).map(([id, at]) => [Number(id), Number(at)]));
}

export interface Flow {
  /** The scheduler's measured tick period (ms); null before two ticks. */
  tickMs: number | null;
  /** Issues per second, measured over windows of at least a second; null before one. */
  issueRate: number | null;
  /** Totals the scheduler reported: moved into running, and slots that expired unused. */
  admitted: number;
  expired: number;
}

export async function readFlow(redis: RedisClient, k: EventKeys): Promise<Flow> {
  const [tickMs, issueRate, admitted, expired] = await redis.hmget(
    k.flow,
    "tickMs",
    "issueRate",
    "admitted",
    "expired",
  );
  return {
    tickMs: tickMs ? Number(tickMs) : null,
    issueRate: issueRate ? Number(issueRate) : null,
    admitted: Number(admitted ?? 0),
    expired: Number(expired ?? 0),
  };
}

/**
 * Writes settings to the live meta now (update-settings-1.lua) and answers their values before,
 * or null when the event is not in Redis. A null rpmThreshold is stored as "" (global).
 */
export async function updateSettings(
  redis: RedisClient,
  k: EventKeys,
  set: ChangeSet,
): Promise<ChangeSet | null> {
  const fields = Object.entries(set);
  const reply = await redis.rgUpdateSettingsV1(
    k.meta,
    ...fields.flatMap(([f, v]) => [f, v === null ? "" : v]),
  );
  if (Number(reply[0]) !== 1) return null;
  return Object.fromEntries(fields.map(([f], i) => [f, reply[i + 1] === "" ? null : Number(reply[i + 1])]));
}
