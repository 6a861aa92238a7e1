import { type IssuanceJob, issuanceJobId, issuanceJobOptions } from "@rushgate/api";
import { type Db, findPersistedUsers } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import { type Keys, parseIssued, type RedisClient } from "@rushgate/redis";
import type { Queue } from "bullmq";
import { sql } from "drizzle-orm";

export interface ReconcileDeps {
  redis: RedisClient;
  keys: Keys;
  db: Db;
  queue: Queue;
  log: Logger;
  minAgeMs: number;
}

export interface ReconcileResult {
  checked: number;
  requeued: number;
  retried: number;
}

const LOOKBACK_MS = 24 * 3600_000;

/**
 * Repairs what a crash between the issue script and the enqueue left behind (SPEC §5): every
 * user in an event's Redis issued set who has neither a MySQL row nor a job gets a job again,
 * under the same deterministic id. Failed jobs (MySQL away for longer than their retries) are
 * retried once MySQL answers. Idempotent, so several issuers may run it at once.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const { redis, keys, db, queue } = deps;
  const now = Date.now();
  const result: ReconcileResult = { checked: 0, requeued: 0, retried: 0 };
  await db.execute(sql`SELECT 1`);

  const ids = (await redis.zrangebyscore(keys.events, now - LOOKBACK_MS, "+inf")).map(Number);
  for (const eventId of ids) {
    const issuedKey = keys.event(eventId).issued;
    let cursor = "0";
    do {
      const [next, flat] = await redis.hscan(issuedKey, cursor, "COUNT", 1000);
      cursor = next;
      const candidates: IssuanceJob[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const { couponId, issuedAt } = parseIssued(flat[i + 1] as string);
        if (now - issuedAt >= deps.minAgeMs)
          candidates.push({ eventId, userId: flat[i] as string, couponId, issuedAt });
      }
      result.checked += candidates.length;
      if (candidates.length === 0) continue;
      const persisted = await findPersistedUsers(db, { eventId, userIds: candidates.map((c) => c.userId) });
      for (const job of candidates) {
        if (persisted.has(job.userId)) continue;
        const jobId = issuanceJobId(job.eventId, job.userId);
        if (await queue.getJob(jobId)) continue;
        await queue.add("issue", job, { ...issuanceJobOptions, jobId });
        result.requeued += 1;
        deps.log.warn({ jobId }, "issuance re-enqueued by the reconciler");
      }
    } while (cursor !== "0");
  }

  for (const job of await queue.getFailed(0, 999)) {
    if (!job) continue;
    await job.retry("failed");
    result.retried += 1;
  }
  return result;
}

export function startReconciler(deps: ReconcileDeps & { intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const run = () => {
    running = reconcile(deps)
      .then((r) => {
        if (r.requeued > 0 || r.retried > 0) deps.log.info(r, "reconciled");
      })
      .catch((err) => deps.log.warn({ err }, "reconcile failed"))
      .finally(() => {
        running = undefined;
        if (timer) timer = setTimeout(run, deps.intervalMs);
      });
  };
  timer = setTimeout(run, Math.min(deps.intervalMs, 1_000));
  return {
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
