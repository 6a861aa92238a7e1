import { ISSUANCE_QUEUE, type IssuanceJob } from "@rushgate/api";
import { type Db, insertIssuances } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import { Worker } from "bullmq";
import type { Counter, Histogram } from "prom-client";
import { createBatcher } from "./batcher";
import { markFailed } from "./failed";

export interface IssuerWorkerOptions {
  redis: RedisClient;
  keys: Keys;
  db: Db;
  concurrency: number;
  batchSize: number;
  batchWaitMs: number;
  /** Lock duration; also the stalled-job check period, so a dead worker's jobs return that fast. */
  lockMs?: number;
  log: Logger;
  metrics?: { persisted: Counter; batchSize: Histogram };
}

/** Retry delays: 250 ms doubling up to 30 s, so a MySQL outage is ridden out, not hammered. */
export function backoffMs(attemptsMade: number): number {
  return Math.min(30_000, 250 * 2 ** Math.max(0, attemptsMade - 1));
}

/**
 * The issuer's BullMQ worker: many jobs at once, each parked in a batcher whose multi-row,
 * idempotent INSERT settles them together. A failed insert fails every job of its batch, and
 * BullMQ retries each with back-off; nothing is acknowledged before MySQL has it.
 */
export function createIssuerWorker(options: IssuerWorkerOptions) {
  const { log, metrics } = options;
  const batcher = createBatcher<IssuanceJob>({
    maxSize: options.batchSize,
    maxWaitMs: options.batchWaitMs,
    flush: async (jobs) => {
      await insertIssuances(
        options.db,
        jobs.map((j) => ({
          eventId: j.eventId,
          userId: j.userId,
          couponId: j.couponId,
          issuedAt: new Date(j.issuedAt),
        })),
      );
      metrics?.persisted.inc(jobs.length);
      metrics?.batchSize.observe(jobs.length);
    },
  });

  const worker = new Worker<IssuanceJob>(ISSUANCE_QUEUE, (job) => batcher.add(job.data), {
    connection: options.redis,
    prefix: options.keys.bullPrefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.lockMs ?? 30_000,
    autorun: false,
    settings: { backoffStrategy: backoffMs },
  });
  worker.on("failed", (job, err) => {
    log.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, "issuance job failed");
    // finishedOn is set only when the job has no retry left and sits in the failed set.
    if (!job?.finishedOn) return;
    markFailed(options.redis, options.keys, job.data.eventId, job.data.userId).catch((markErr) =>
      log.warn({ err: markErr, jobId: job.id }, "failed job not counted; the reconciler will count it"),
    );
  });
  worker.on("error", (err) => log.error({ err }, "worker error"));

  return {
    worker,
    start() {
      void worker.run().catch((err) => log.error({ err }, "worker stopped"));
    },
    /** Stops taking jobs, lets the jobs in hand finish (their batches flush), then closes. */
    async stop() {
      const closing = worker.close();
      await batcher.drain();
      await closing;
    },
  };
}
