import type { RedisClient } from "./client";

export interface StreamRecord {
  /** The stream id, `<ms>-<n>`: unique in its stream and increasing. */
  id: string;
  fields: Record<string, string>;
}

/** The smallest stream id after `id`. */
function nextStreamId(id: string): string {
  const [ms, n] = id.split("-");
  return `${ms}-${BigInt(n ?? "0") + 1n}`;
}

/**
 * Moves a Redis stream's records somewhere durable (MySQL), oldest first, a batch at a time:
 * read, `persist`, then trim up to the last persisted id. A crash between persist and trim leaves
 * the batch in the stream, so `persist` must be idempotent on the stream id (a unique key); then
 * nothing is lost and nothing is written twice, and several drainers may run at once. What is
 * persisted is trimmed, so the stream stays bounded. Used by the issuer for the admission log;
 * any other append-only stream (an audit trail) can be drained the same way.
 *
 * Returns how many records were persisted (at most `batch * maxBatches` per call).
 */
export async function drainStream(
  redis: RedisClient,
  key: string,
  persist: (records: StreamRecord[]) => Promise<void>,
  options: { batch?: number; maxBatches?: number } = {},
): Promise<number> {
  const batch = options.batch ?? 1_000;
  const maxBatches = options.maxBatches ?? 100;
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const raw = await redis.xrange(key, "-", "+", "COUNT", batch);
    if (raw.length === 0) break;
    const records = raw.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let j = 0; j + 1 < flat.length; j += 2) fields[flat[j] as string] = flat[j + 1] as string;
      return { id, fields };
    });
    await persist(records);
    await redis.xtrim(key, "MINID", nextStreamId(raw[raw.length - 1]?.[0] as string));
    total += records.length;
    if (raw.length < batch) break;
  }
  return total;
}
