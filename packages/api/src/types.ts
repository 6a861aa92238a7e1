import type { PrequeueRule } from "./schemas";

/** Response shapes of SPEC §6, shared by the servers and the tests. */
export type EventStatus = "upcoming" | "open" | "sold_out" | "ended";

export interface EventView {
  id: number;
  name: string;
  stock: number;
  remaining: number;
  startsAt: string;
  endsAt: string;
  status: EventStatus;
  /** How the people who entered before `startsAt` are ordered (README, "Fairness: the pre-queue"). */
  prequeue: PrequeueRule;
  /** `shuffle`: sha256 of the seed (hex), published from creation. Always null for `fifo`. */
  seedCommitment: string | null;
  /** `shuffle`: the seed (hex), once the shuffle has run or the event has ended; null before, and for `fifo`. */
  seed: string | null;
  /** `shuffle`: when the shuffle ran (ISO); null before, and for `fifo`. */
  shuffledAt: string | null;
}

export interface EventSettings {
  rpmThreshold: number | null;
  runningCapacity: number;
  admitPerTick: number;
  admissionTtlSeconds: number;
  idleTimeoutSeconds: number;
}

export interface AdmittedBody {
  status: "admitted";
  token: string;
  expiresAt: string;
}

export interface WaitingBody {
  status: "waiting";
  /** 1-based; null while the place waits for the pre-queue shuffle at the start (then `prequeue` is set). */
  position: number | null;
  waiting: number;
  etaSeconds: number | null;
  pollAfterMs: number;
  /** Present (true) while admissions are paused: the place is kept, the ETA is null. */
  paused?: true;
  /** Present only while `position` is null: the place is drawn by the shuffle at the start. */
  prequeue?: "shuffle";
}

export interface SoldOutBody {
  status: "sold_out";
}

export type QueueStatusBody = AdmittedBody | WaitingBody | SoldOutBody;

export interface IssuedBody {
  status: "issued";
  couponId: string;
  remaining: number;
}

export interface CouponView {
  eventId: number;
  couponId: string;
  state: "pending" | "persisted";
  issuedAt: string;
}

export interface EventStats {
  liveRpm: number;
  rpmThreshold: number;
  waiting: number;
  running: number;
  issued: number;
  remaining: number;
  persisted: number;
  queued: number;
  failed: number;
}

/** Job payload on the BullMQ issuance queue. */
export interface IssuanceJob {
  eventId: number;
  userId: string;
  couponId: string;
  issuedAt: number;
}

export const ISSUANCE_QUEUE = "issuances";

/** BullMQ refuses ':' in custom ids; event ids are digits, so `e<id>-<user>` is unambiguous. */
export function issuanceJobId(eventId: number, userId: string): string {
  return `e${eventId}-${userId}`;
}

/** The inverse of `issuanceJobId`; null for an id of another shape. */
export function parseIssuanceJobId(jobId: string): { eventId: number; userId: string } | null {
  const match = /^e([1-9][0-9]*)-(.+)$/.exec(jobId);
  return match ? { eventId: Number(match[1]), userId: match[2] as string } : null;
}

/**
 * Options of every issuance job, whoever enqueues it. Completed jobs are removed (MySQL is the
 * record). Failed ones stay visible, the newest 100,000 for up to a week: a failed job trimmed
 * away loses nothing, because its user is still in the event's Redis issued set without a MySQL
 * row, and the reconciler enqueues it again. 25 attempts with the issuer's capped back-off span
 * about ten minutes of MySQL being away; the reconciler retries jobs that fail even so.
 */
export const issuanceJobOptions = {
  attempts: 25,
  backoff: { type: "capped-exponential" },
  removeOnComplete: true,
  removeOnFail: { count: 100_000, age: 7 * 24 * 3600 },
} as const;
