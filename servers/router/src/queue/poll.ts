/**
 * How a waiting user should be told to come back (SPEC §4). ETA comes from the admission rate the
 * scheduler measures; `pollAfterMs` is short near the head of the queue, longer far back (each
 * poll is a Redis call, and 4,500 people polling every 300 ms is most of the load), and always
 * well inside the idle timeout so that a polling user is never evicted.
 */
export const MIN_POLL_MS = 300;
export const MAX_POLL_MS = 5_000;
const UNKNOWN_RATE_POLL_MS = 1_000;

export function etaSeconds(position: number, ratePerSecond: number): number | null {
  if (!(ratePerSecond > 0)) return null;
  return Math.max(1, Math.ceil(position / ratePerSecond));
}

function pollCeiling(idleTimeoutSeconds: number): number {
  return Math.min(MAX_POLL_MS, Math.floor((idleTimeoutSeconds * 1000) / 3));
}

export function pollAfterMs(eta: number | null, idleTimeoutSeconds = 30): number {
  const ceiling = pollCeiling(idleTimeoutSeconds);
  if (eta === null) return Math.min(UNKNOWN_RATE_POLL_MS, ceiling);
  return Math.max(MIN_POLL_MS, Math.min(ceiling, Math.round((eta * 1000) / 10)));
}

/**
 * A place that cannot move for now (admissions paused, or a place still to be drawn by the
 * pre-queue's shuffle at the start) polls as slowly as the idle timeout allows: a pause or a large
 * pre-queue must not turn a long line into 1 s polls. A change is seen within one such interval,
 * well inside the act-by deadline of whoever is admitted first.
 */
export function slowPollMs(idleTimeoutSeconds = 30): number {
  return pollCeiling(idleTimeoutSeconds);
}
