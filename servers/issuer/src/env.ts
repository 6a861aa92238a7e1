import { commonEnv, databaseUrl, parseEnv, port, positiveInt } from "@rushgate/service";
import { z } from "zod";

const shape = {
  ...commonEnv,
  PORT: port(8083),
  DATABASE_URL: databaseUrl,
  /** Jobs held at once; they are written to MySQL in multi-row batches. */
  ISSUER_CONCURRENCY: positiveInt(500),
  ISSUER_BATCH_SIZE: positiveInt(100),
  ISSUER_BATCH_WAIT_MS: positiveInt(5),
  /** BullMQ lock of a job in hand; a crashed issuer's jobs are taken over after about this long. */
  ISSUER_LOCK_MS: positiveInt(30_000),
  RECONCILE_INTERVAL_MS: positiveInt(30_000),
  /** Issuances younger than this are left alone: their enqueue may still be in flight. */
  RECONCILE_MIN_AGE_MS: positiveInt(10_000),
  /**
   * How long an ended event's Redis keys are kept once MySQL holds every issuance; then the
   * reconciler removes them (never sooner than 2 minutes after the end: retention.ts).
   */
  /** How often each event's admission log is moved from Redis into MySQL. */
  ADMISSION_LOG_DRAIN_MS: positiveInt(1_000),
  EVENT_RETENTION_SECONDS: z.coerce.number().int().min(0).default(3600),
};

export type IssuerEnv = ReturnType<typeof parseIssuerEnv>;

export function parseIssuerEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(shape, source);
}
