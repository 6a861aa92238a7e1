import { type IssuanceJob, issuanceJobId, issuanceJobOptions } from "@rushgate/api";
import { type Db, findPersistedUsers } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import { type Keys, parseIssued, type RedisClient, redisNow } from "@rushgate/redis";
import type { Queue } from "bullmq";
import { sql } from "drizzle-orm";
import { drainEventLog } from "./admission-log";
import { syncFailedSets, unmarkFailed } from "./failed";
import { countPendingJobs, listKeptEvents, retireEvent, SCHEDULER_QUIET_MS } from "./retention";

export interface ReconcileDeps {
  redis: RedisClient;
  keys: Keys;
  db: Db;
  queue: Queue;
  log: Logger;
  minAgeMs: number;
  /** How long an ended event stays in Redis once MySQL has all of it (EVENT_RETENTION_SECONDS). */
  retentionMs: number;
}

export interface ReconcileResult {
  checked: number;
  requeued: number;
  retried: number;
  retired: number;
}

/**
 * Repairs what a crash between the issue script and the enqueue left behind (SPEC §5): every
 * user in an event's Redis issued set who has neither a MySQL row nor a job gets a job again,
 * under the same deterministic id. Failed jobs (MySQL away for longer than their retries) are
 * retried once MySQL answers. An event that ended over `retentionMs` ago (two minutes at least),
 * whose every issuance is in MySQL with no job left, is removed from Redis (SPEC §7). Idempotent, so several issuers may
 * run it at once.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const { redis, keys, db, queue } = deps;
  const result: ReconcileResult = { checked: 0, requeued: 0, retried: 0, retired: 0 };
  const events = await listKeptEvents(redis, keys);
  await syncFailedSets(
    redis,
    keys,
    queue,
    events.map((e) => e.eventId),
  );
  await db.execute(sql`SELECT 1`);
  const now = await redisNow(redis);
  for (const { eventId, endsAt } of events) {
    const retiring = endsAt + Math.max(deps.retentionMs, SCHEDULER_QUIET_MS) <= now;
    const scan = await repairEvent(deps, eventId, now, retiring, result);
    if (retiring && scan.outstanding === 0 && scan.pendingJobs === 0) {
      // The admission log goes to MySQL before the keys go (retire-n.lua refuses otherwise).
      await drainEventLog(deps, eventId);
      if (await retireEvent(redis, keys, eventId, endsAt)) {
        result.retired += 1;
        deps.log.info({ eventId }, "event retired from Redis");
      }
    }
  }
  for (const job of await queue.getFailed(0, 999)) {
    if (!job) continue;
    await job.retry("failed");
    await unmarkFailed(redis, keys, job.data.eventId, job.data.userId);
    result.retried += 1;
  }
  return result;
}

/**
 * One pass over an event's issued set: re-enqueues issuances old enough that their enqueue
 * cannot be in flight. Counts issuances MySQL does not have yet, and, when the event is due for
 * retirement, the jobs still to run for those it has.
 */
async function repairEvent(
  deps: ReconcileDeps,
  eventId: number,
  now: number,
  retiring: boolean,
  result: ReconcileResult,
): Promise<{ outstanding: number; pendingJobs: number }> {
  const { redis, keys, db, queue } = deps;
  let outstanding = 0;
  let pendingJobs = 0;
  let cursor = "0";
  do {
    const [next, flat] = await redis.hscan(keys.event(eventId).issued, cursor, "COUNT", 1000);
    cursor = next;
    const issued: IssuanceJob[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const { couponId, issuedAt } = parseIssued(flat[i + 1] as string);
      issued.push({ eventId, userId: flat[i] as string, couponId, issuedAt });
    }
    if (issued.length === 0) continue;
    const persisted = await findPersistedUsers(db, { eventId, userIds: issued.map((c) => c.userId) });
    outstanding += issued.length - persisted.size;
    for (const job of issued) {
      if (now - job.issuedAt < deps.minAgeMs) continue;
      result.checked += 1;
      if (persisted.has(job.userId)) continue;
      const jobId = issuanceJobId(job.eventId, job.userId);
      if (await queue.getJob(jobId)) continue;
      await queue.add("issue", job, { ...issuanceJobOptions, jobId });
      result.requeued += 1;
      deps.log.warn({ jobId }, "issuance re-enqueued by the reconciler");
    }
    if (retiring && outstanding === 0)
      pendingJobs += await countPendingJobs(redis, queue, eventId, [...persisted]);
  } while (cursor !== "0");
  return { outstanding, pendingJobs };
}

export function startReconciler(deps: ReconcileDeps & { intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const run = () => {
    running = reconcile(deps)
      .then((r) => {
        if (r.requeued > 0 || r.retried > 0 || r.retired > 0) deps.log.info(r, "reconciled");
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
