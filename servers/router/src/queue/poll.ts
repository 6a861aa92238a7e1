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

function ceilingMs(idleTimeoutSeconds: number): number {
  return Math.min(MAX_POLL_MS, Math.floor((idleTimeoutSeconds * 1000) / 3));
}

export function pollAfterMs(eta: number | null, idleTimeoutSeconds = 30): number {
  const ceiling = ceilingMs(idleTimeoutSeconds);
  if (eta === null) return Math.min(UNKNOWN_RATE_POLL_MS, ceiling);
  return Math.max(MIN_POLL_MS, Math.min(ceiling, Math.round((eta * 1000) / 10)));
}

/**
 * A place still to be drawn by the pre-queue's shuffle does not move until the start, so its
 * holder polls as slowly as the idle timeout allows: a large pre-queue is many pollers.
 */
export function pendingPollMs(idleTimeoutSeconds = 30): number {
  return ceilingMs(idleTimeoutSeconds);
}
