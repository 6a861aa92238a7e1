import { type IssuanceJob, issuanceJobId } from "@rushgate/api";
import type { Logger } from "@rushgate/logger";
import type { Queue } from "bullmq";

export interface EnqueueOptions {
  /** Most jobs in one `addBulk`; a fuller batch is sent at once instead of at the end of the tick. */
  maxBatch?: number;
  attempts?: number;
  /** Pause before attempt n+1 is `retryMs * n`. */
  retryMs?: number;
  /** Called once per `addBulk` sent (its size), for the metrics. */
  onBatch?: (size: number) => void;
}

export interface Enqueuer {
  /** Resolves true once the job is in Redis, false when it is left for the reconciler. */
  enqueue(job: IssuanceJob): Promise<boolean>;
}

interface Waiting {
  job: IssuanceJob;
  done: (ok: boolean) => void;
}

/**
 * Enqueues issuances in micro-batches: the jobs of every issue that finished its Lua call in the
 * same tick (up to `maxBatch`) go to Redis in one `addBulk`, a single pipeline, so k concurrent
 * issues share one round trip. Each caller still learns only once its own job is in Redis, so a
 * `201 issued` is never sent for a job that is not there.
 *
 * Every job keeps its deterministic id, so retrying a whole batch (or the reconciler racing us)
 * never makes a second job. A failure is logged, not thrown: the issuance is already recorded in
 * Redis, and the reconciler enqueues whatever has neither a MySQL row nor a job.
 */
export function createEnqueuer(queue: Queue, log: Logger, options: EnqueueOptions = {}): Enqueuer {
  const maxBatch = options.maxBatch ?? 200;
  const attempts = options.attempts ?? 3;
  const retryMs = options.retryMs ?? 50;
  let batch: Waiting[] = [];
  let scheduled = false;

  async function send(waiting: Waiting[]) {
    // Name, data and the job id only: the shared options are the queue's defaultJobOptions.
    const jobs = waiting.map(({ job }) => ({
      name: "issue",
      data: job,
      opts: { jobId: issuanceJobId(job.eventId, job.userId) },
    }));
    options.onBatch?.(jobs.length);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await queue.addBulk(jobs);
        for (const w of waiting) w.done(true);
        return;
      } catch (err) {
        log.warn({ err, jobs: jobs.length, firstJobId: jobs[0]?.opts.jobId, attempt }, "enqueue failed");
        if (attempt < attempts) await new Promise((r) => setTimeout(r, retryMs * attempt));
      }
    }
    for (const j of jobs) log.error({ jobId: j.opts.jobId }, "issuance left for the reconciler");
    for (const w of waiting) w.done(false);
  }

  function flush() {
    scheduled = false;
    const waiting = batch;
    batch = [];
    if (waiting.length > 0) void send(waiting);
  }

  return {
    enqueue(job) {
      return new Promise<boolean>((done) => {
        batch.push({ job, done });
        if (batch.length >= maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
