import { type IssuanceJob, issuanceJobId } from "@rushgate/api";
import type { Logger } from "@rushgate/logger";
import type { Queue } from "bullmq";

/**
 * Enqueues an issuance under its deterministic job id, so a retry (or the reconciler racing us)
 * never makes a second job. A failure here is logged, not thrown: the issuance is already recorded
 * in Redis, and the reconciler enqueues whatever has neither a MySQL row nor a job.
 */
export async function enqueueIssuance(queue: Queue, job: IssuanceJob, log: Logger): Promise<boolean> {
  const jobId = issuanceJobId(job.eventId, job.userId);
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await queue.add("issue", job, { jobId });
      return true;
    } catch (err) {
      log.warn({ err, jobId, attempt }, "enqueue failed");
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
  log.error({ jobId }, "issuance left for the reconciler");
  return false;
}
