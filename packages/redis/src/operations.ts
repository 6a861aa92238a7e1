import type { RedisClient } from "./client";
import type { StatusKeys } from "./commands";
import type { EventKeys } from "./keys";
import { parseSwitchBits, parseSwitchLetters, type SwitchFlags, switchLetters } from "./switch-flags";

/** Typed calls of the Lua scripts: key order and reply parsing live here and nowhere else. */

/**
 * Redis's clock (ms). Every script reads it itself (TIME); code outside the scripts that compares
 * times across processes uses this, never its own clock.
 */
export async function redisNow(redis: RedisClient): Promise<number> {
  const [sec, usec] = await redis.time();
  return Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
}

export type QueueReply =
  /** position null: the place waits for the pre-queue shuffle (includes/prequeue.lua). */
  | { kind: "waiting"; position: number | null; waiting: number; rate: number; paused: boolean }
  | { kind: "admitted" | "issued"; expiresAt: number }
  | { kind: "queue" | "sold_out" | "not_open" | "not_found" | "not_in_queue" | "entry_closed" };

function parseQueueReply(reply: (string | number)[]): QueueReply {
  const kind = String(reply[0]);
  switch (kind) {
    case "waiting":
      return {
        kind,
        position: Number(reply[5]) === 1 ? null : Number(reply[1]),
        waiting: Number(reply[2]),
        rate: Number(reply[3]),
        paused: Number(reply[4]) === 1,
      };
    case "admitted":
    case "issued":
      return { kind, expiresAt: Number(reply[1]) };
    case "queue":
    case "sold_out":
    case "not_open":
    case "not_found":
    case "not_in_queue":
    case "entry_closed":
      return { kind };
    default:
      throw new Error(`unexpected script reply ${kind}`);
  }
}

export async function admit(redis: RedisClient, k: EventKeys, userId: string): Promise<QueueReply> {
  const reply = await redis.rgAdmitV5(
    k.meta,
    k.remaining,
    k.issued,
    k.waiting,
    k.running,
    k.admitted,
    k.log,
    userId,
  );
  return parseQueueReply(reply);
}

/**
 * Most users (or issuances) one enter-10.lua, status-8.lua or issue-6.lua call takes: it bounds
 * how long one call holds Redis (4–6 ms on the 2-core development machine, README "Batching").
 */
export const QUEUE_BATCH = 500;

/**
 * Joins these users to the queue in their order, each answered as if alone, in one round trip
 * (enter-10.lua); the caller passes at most QUEUE_BATCH users.
 */
export async function enterMany(
  redis: RedisClient,
  k: EventKeys,
  userIds: readonly string[],
): Promise<QueueReply[]> {
  if (userIds.length === 0) return [];
  const replies = await redis.rgEnterV10(
    k.meta,
    k.remaining,
    k.issued,
    k.waiting,
    k.running,
    k.seen,
    k.seq,
    k.sched,
    k.admitted,
    k.log,
    ...userIds,
  );
  return replies.map(parseQueueReply);
}

/** One user's entry: a batch of one. */
export async function enter(redis: RedisClient, k: EventKeys, userId: string): Promise<QueueReply> {
  return (await enterMany(redis, k, [userId]))[0] as QueueReply;
}

const statusKeys = (k: EventKeys): StatusKeys => [
  k.meta,
  k.remaining,
  k.issued,
  k.waiting,
  k.running,
  k.seen,
  k.sched,
  k.admitted,
];

/**
 * What the queue answers each of these users, with the sign of life a poll gives, in one round
 * trip (status-8.lua); the caller passes at most QUEUE_BATCH users.
 */
export async function statusMany(
  redis: RedisClient,
  k: EventKeys,
  userIds: readonly string[],
): Promise<QueueReply[]> {
  if (userIds.length === 0) return [];
  const replies = await redis.rgStatusV8(...statusKeys(k), ...userIds);
  return replies.map(parseQueueReply);
}

/** One user's status: a batch of one. */
export async function status(redis: RedisClient, k: EventKeys, userId: string): Promise<QueueReply> {
  return (await statusMany(redis, k, [userId]))[0] as QueueReply;
}

export async function leave(redis: RedisClient, k: EventKeys, userId: string): Promise<number> {
  return redis.rgLeaveV3(k.waiting, k.running, k.seen, k.admitted, k.log, userId);
}

export type IssueReply =
  | { kind: "issued"; remaining: number; issuedAt: number }
  | { kind: "already_issued" | "sold_out" | "not_admitted" | "not_open" | "not_found" };

export interface IssueRequest {
  userId: string;
  couponId: string;
}

function parseIssueReply(reply: (string | number)[]): IssueReply {
  const kind = String(reply[0]);
  if (kind === "issued") return { kind, remaining: Number(reply[1]), issuedAt: Number(reply[2]) };
  if (["already_issued", "sold_out", "not_admitted", "not_open", "not_found"].includes(kind)) {
    return { kind } as IssueReply;
  }
  throw new Error(`unexpected issue reply ${kind}`);
}

/**
 * Decides these issuances in their order, each as if alone, in one round trip (issue-6.lua);
 * the caller passes at most QUEUE_BATCH of them.
 */
export async function issueMany(
  redis: RedisClient,
  k: EventKeys,
  requests: readonly IssueRequest[],
): Promise<IssueReply[]> {
  if (requests.length === 0) return [];
  const args: string[] = [];
  for (const r of requests) args.push(r.userId, r.couponId);
  const replies = await redis.rgIssueV5(k.meta, k.remaining, k.issued, k.running, k.admitted, k.log, ...args);
  return replies.map(parseIssueReply);
}

/** One issuance: a batch of one. */
export async function issue(redis: RedisClient, k: EventKeys, request: IssueRequest): Promise<IssueReply> {
  return (await issueMany(redis, k, [request]))[0] as IssueReply;
}

/** The value stored per user in the issued hash. */
export function parseIssued(value: string): { couponId: string; issuedAt: number } {
  const bar = value.lastIndexOf("|");
  return { couponId: value.slice(0, bar), issuedAt: Number(value.slice(bar + 1)) };
}

export interface GateSnapshot {
  /** Redis's clock when the snapshot was taken (ms): the one clock every decision uses. */
  now: number;
  found: boolean;
  liveRpm: number;
  waiting: number;
  running: number;
  /** null: the global threshold applies. */
  rpmThreshold: number | null;
  runningCapacity: number;
  startsAt: number;
  endsAt: number;
  remaining: number;
  /** The kill switches the event obeys (its own or the global ones). */
  switches: SwitchFlags;
}

/**
 * One event's flush: adds this instance's count and reads the snapshot back. Calls for several
 * events issued together travel in one write on an auto-pipelining client (one per cluster node).
 */
export async function gateSync(redis: RedisClient, k: EventKeys, delta: number): Promise<GateSnapshot> {
  return parseGateSync(await redis.rgGateSyncV4(k.rpm, k.waiting, k.running, k.meta, k.remaining, delta));
}

function parseGateSync(reply: number[]): GateSnapshot {
  const [now, found, liveRpm, waiting, running, threshold, capacity, startsAt, endsAt, remaining, bits] =
    reply;
  return {
    now: now ?? 0,
    found: found === 1,
    liveRpm: liveRpm ?? 0,
    waiting: waiting ?? 0,
    running: running ?? 0,
    rpmThreshold: threshold === undefined || threshold < 0 ? null : threshold,
    runningCapacity: capacity ?? 0,
    startsAt: startsAt ?? 0,
    endsAt: endsAt ?? 0,
    remaining: remaining ?? 0,
    switches: parseSwitchBits(bits ?? 0),
  };
}

/** Most moves (and expiries, evictions) in one schedule-8.lua step: about 10 ms of Redis. */
const SCHEDULE_STEP = 2_000;
/** A tick never runs more steps than this (1,000,000 expiries); what is left waits a tick. */
const MAX_STEPS = 500;

/**
 * One scheduler tick for one event: schedule-8.lua steps, each bounded, until the tick's work is
 * done (admitPerTick, room, stock or the queue reached), so any accepted setting works. Stops
 * with `shuffle: true` when the event's pre-queue must be shuffled before anyone is admitted.
 */
export async function schedule(redis: RedisClient, k: EventKeys, fence: number): Promise<TickResult> {
  const total: TickResult = { fenced: false, moved: 0, expired: 0, evicted: 0 };
  for (let step = 0; step < MAX_STEPS; step++) {
    const reply = await redis.rgScheduleV6(
      k.meta,
      k.remaining,
      k.waiting,
      k.running,
      k.seen,
      k.sched,
      k.admitted,
      k.log,
      fence,
      total.moved,
      SCHEDULE_STEP,
    );
    if (reply[0] === -1) return { ...total, fenced: true };
    total.moved += reply[0] ?? 0;
    total.expired += reply[1] ?? 0;
    total.evicted += reply[2] ?? 0;
    if (reply[4] === 1) return { ...total, shuffle: true };
    if (reply[3] !== 1) break;
  }
  return total;
}

export interface TickResult {
  fenced: boolean;
  /** Set (true) when the pre-queue is still to be shuffled (shuffle-4.lua): nobody was admitted. */
  shuffle?: true;
  moved: number;
  expired: number;
  evicted: number;
}

export interface EventMeta {
  name: string;
  stock: number;
  startsAt: number;
  endsAt: number;
  rpmThreshold: number | null;
  runningCapacity: number;
  admitPerTick: number;
  admissionTtlSeconds: number;
  idleTimeoutSeconds: number;
  /** Time to act: an admitted user who shows no sign of life for this long loses the slot. */
  actWithinSeconds: number;
  /** The event's own kill switches (MySQL keeps them). */
  switches: SwitchFlags;
  /** The global kill switches as last fanned out to this event (rg:switches is the record). */
  globalSwitches: SwitchFlags;
  prequeue: "fifo" | "shuffle";
  /** `shuffle`: the secret seed (hex). Kept in Redis for the scheduler; answered by no API before the shuffle. */
  seed: string | null;
  /** When the shuffle ran (ms, Redis's clock); written by shuffle-4.lua only, never by warm. */
  shuffledAt?: number | null;
}

function metaToFields(meta: EventMeta): (string | number)[] {
  return [
    "name",
    meta.name,
    "stock",
    meta.stock,
    "startsAt",
    meta.startsAt,
    "endsAt",
    meta.endsAt,
    "rpmThreshold",
    meta.rpmThreshold ?? "",
    "runningCapacity",
    meta.runningCapacity,
    "admitPerTick",
    meta.admitPerTick,
    "admissionTtlSeconds",
    meta.admissionTtlSeconds,
    "idleTimeoutSeconds",
    meta.idleTimeoutSeconds,
    "actWithinSeconds",
    meta.actWithinSeconds,
    "switches",
    switchLetters(meta.switches),
    "globalSwitches",
    switchLetters(meta.globalSwitches),
    "prequeue",
    meta.prequeue,
    "seed",
    meta.seed ?? "",
  ];
}

export function parseMeta(hash: Record<string, string>): EventMeta | null {
  if (hash.startsAt === undefined) return null;
  return {
    name: hash.name ?? "",
    stock: Number(hash.stock),
    startsAt: Number(hash.startsAt),
    endsAt: Number(hash.endsAt),
    rpmThreshold: hash.rpmThreshold ? Number(hash.rpmThreshold) : null,
    runningCapacity: Number(hash.runningCapacity),
    admitPerTick: Number(hash.admitPerTick),
    admissionTtlSeconds: Number(hash.admissionTtlSeconds),
    idleTimeoutSeconds: Number(hash.idleTimeoutSeconds),
    // Events warmed before the setting existed: no time to act beyond the admission itself.
    actWithinSeconds: Number(hash.actWithinSeconds ?? hash.admissionTtlSeconds),
    switches: parseSwitchLetters(hash.switches),
    globalSwitches: parseSwitchLetters(hash.globalSwitches),
    // Events warmed before the setting existed are first come first served.
    prequeue: hash.prequeue === "shuffle" ? "shuffle" : "fifo",
    seed: hash.seed || null,
    shuffledAt: hash.shuffledAt ? Number(hash.shuffledAt) : null,
  };
}

/** Writes metadata and stock unless the event is warm already (see warm-2.lua). */
export async function warm(
  redis: RedisClient,
  k: EventKeys,
  meta: EventMeta,
  remaining: number,
): Promise<boolean> {
  return (await redis.rgWarmV1(k.meta, k.remaining, remaining, ...metaToFields(meta))) === 1;
}

/**
 * Removes every key of one event (retire-n.lua) unless its admission log still holds records
 * MySQL does not have yet. True when removed.
 */
export async function retireEventKeys(redis: RedisClient, k: EventKeys): Promise<boolean> {
  const { log, ...rest } = k;
  const others = Object.values(rest);
  return (await redis.rgRetireV1(1 + others.length, log, ...others)) === 1;
}
