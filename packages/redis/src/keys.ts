/**
 * Every Redis key rushgate uses. All keys of one event share the hash tag `{ev:<id>}` so that one
 * event's scripts run on one Redis Cluster slot; the scheduler lease and its fence share `{sched}`.
 * `prefix` (REDIS_PREFIX, default "rg") lets several deployments or test runs share one Redis.
 */
export interface EventKeys {
  meta: string;
  remaining: string;
  issued: string;
  waiting: string;
  running: string;
  /** Hash: userId -> hard expiry of the admission (ms, the token's expiresAt). */
  admitted: string;
  seen: string;
  seq: string;
  sched: string;
  rpm: string;
  /** Set of users whose issuance job is in BullMQ's failed set (the issuer keeps it). */
  failed: string;
  /**
   * Stream: the admission log (entries, admissions, departures; lua/includes/log.lua), drained
   * into MySQL by the issuer, which trims what it persisted.
   */
  log: string;
  /** Sorted set: scheduled change id -> apply at (ms), pending ones only. */
  changesDue: string;
  /** Hash: scheduled change id -> JSON of the settings it sets, pending ones only. */
  changes: string;
  /** Hash: change id -> applied at (ms), until the issuer has written it back to MySQL. */
  changesApplied: string;
  /** Hash: the scheduler's measured tick period and issue rate (for the what-if preview). */
  flow: string;
}

export interface Keys {
  prefix: string;
  /** BullMQ prefix: hash-tagged so that a queue's keys live on one cluster slot. */
  bullPrefix: string;
  /** Global default RPM threshold (string). */
  threshold: string;
  /** Global kill switches (string of letters, see switches.ts), fanned out to every live event. */
  switches: string;
  /**
   * Sorted set: eventId -> endsAt (ms); the events the scheduler and reconciler look after. The
   * issuer's reconciler removes an entry, with all of its event's keys, once the event is retired.
   */
  events: string;
  schedulerLease: string;
  schedulerFence: string;
  /** Hash: SHA-256 of each live named admin token -> its name, plus `_warm` (admin-tokens.ts). */
  adminTokens: string;
  /** Hash: admin token name -> last use (ms), moved into MySQL by the coupon server. */
  adminTokenUses: string;
  event(eventId: number): EventKeys;
}

/** Events whose key names one Keys remembers (a handful are live at once). */
const MAX_CACHED_EVENTS = 1_000;

export function createKeys(prefix = "rg"): Keys {
  const events = new Map<number, Readonly<EventKeys>>();
  return {
    prefix,
    bullPrefix: `{${prefix}:bull}`,
    threshold: `${prefix}:threshold`,
    switches: `${prefix}:switches`,
    events: `${prefix}:events`,
    schedulerLease: `${prefix}:{sched}:lease`,
    schedulerFence: `${prefix}:{sched}:fence`,
    adminTokens: `${prefix}:{admin}:tokens`,
    adminTokenUses: `${prefix}:{admin}:uses`,
    event(eventId) {
      // Every entry, poll and issue asks for its event's keys: build each event's names once.
      const known = events.get(eventId);
      if (known) return known;
      const t = `${prefix}:{ev:${eventId}}`;
      const made: EventKeys = {
        meta: `${t}:meta`,
        remaining: `${t}:remaining`,
        issued: `${t}:issued`,
        waiting: `${t}:waiting`,
        running: `${t}:running`,
        admitted: `${t}:admitted`,
        seen: `${t}:seen`,
        seq: `${t}:seq`,
        sched: `${t}:sched`,
        rpm: `${t}:rpm`,
        failed: `${t}:failed`,
        log: `${t}:log`,
        changesDue: `${t}:changes:due`,
        changes: `${t}:changes`,
        changesApplied: `${t}:changes:applied`,
        flow: `${t}:flow`,
      };
      if (events.size >= MAX_CACHED_EVENTS) events.clear();
      events.set(eventId, made);
      return made;
    },
  };
}
