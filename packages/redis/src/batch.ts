import DataLoader from "dataloader";
import type { EventKeys, Keys } from "./keys";
import { QUEUE_BATCH } from "./operations";

/** Events with a batcher at once; past this the map starts afresh (a rush has a handful). */
const MAX_EVENTS = 1_000;

/**
 * The calls about one event that arrive in the same turn of the event loop, sent as one script
 * call for all of them: `many(k, items)` answers each item as a call for it alone would
 * (enterMany, statusMany and issueMany: their scripts take many users, in order). The batch is
 * sent once the turn's I/O has been read (setImmediate), so a request waits for no timer; in a
 * rush, the hundreds of requests one read of the sockets brings cost one script call instead of
 * hundreds, and a script's fixed part (the clock, the event's settings and stock) is paid once.
 * SPEC §6's round-trip budgets hold: a request alone is one call, and a batch is one call for all
 * of them. Batches stop at `maxBatch` items, which bounds how long one call holds Redis.
 */
export function createEventBatcher<K, V>(
  keys: Keys,
  many: (k: EventKeys, items: readonly K[]) => Promise<V[]>,
  maxBatch = QUEUE_BATCH,
): (eventId: number, item: K) => Promise<V> {
  const loaders = new Map<number, DataLoader<K, V>>();

  function loader(eventId: number) {
    let l = loaders.get(eventId);
    if (l) return l;
    if (loaders.size >= MAX_EVENTS) loaders.clear();
    const k = keys.event(eventId);
    l = new DataLoader<K, V>((items) => many(k, items), {
      cache: false,
      maxBatchSize: maxBatch,
      batchScheduleFn: (send) => setImmediate(send),
    });
    loaders.set(eventId, l);
    return l;
  }

  return (eventId, item) => loader(eventId).load(item);
}
