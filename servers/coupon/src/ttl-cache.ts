/**
 * A bounded in-process map whose entries expire after `ttlMs`: when full, the least recently used
 * entry goes. What the coupon server remembers about events and users stays this small however
 * many distinct ids arrive.
 */
export function createTtlCache<K, V>(options: { max: number; ttlMs: number }) {
  const entries = new Map<K, { at: number; value: V }>();
  return {
    get(key: K, now = Date.now()): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (now - entry.at >= options.ttlMs) return undefined;
      entries.set(key, entry); // most recently used goes last; the oldest is first to go
      return entry.value;
    },
    set(key: K, value: V, now = Date.now()): void {
      entries.delete(key);
      entries.set(key, { at: now, value });
      if (entries.size > options.max) entries.delete(entries.keys().next().value as K);
    },
    delete(key: K): void {
      entries.delete(key);
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type TtlCache<K, V> = ReturnType<typeof createTtlCache<K, V>>;
