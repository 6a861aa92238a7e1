/**
 * Gathers items from many concurrent callers into batches: a batch is flushed when it reaches
 * `maxSize` or `maxWaitMs` after its first item, and every caller's promise settles with its
 * batch. Batches flush concurrently (the MySQL pool bounds them).
 */
export function createBatcher<T>(options: {
  maxSize: number;
  maxWaitMs: number;
  flush: (items: T[]) => Promise<void>;
}) {
  type Entry = { item: T; resolve: () => void; reject: (err: unknown) => void };
  let pending: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inflight = new Set<Promise<void>>();

  function flushNow(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const done = options
      .flush(batch.map((e) => e.item))
      .then(
        () => {
          for (const e of batch) e.resolve();
        },
        (err) => {
          for (const e of batch) e.reject(err);
        },
      )
      .finally(() => inflight.delete(done));
    inflight.add(done);
  }

  return {
    add(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length >= options.maxSize) flushNow();
        else timer ??= setTimeout(flushNow, options.maxWaitMs);
      });
    },
    /** Flushes what is pending and waits for every batch under way. */
    async drain(): Promise<void> {
      flushNow();
      await Promise.allSettled([...inflight]);
    },
  };
}
