import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { ISSUANCE_QUEUE, type IssuanceJob, issuanceJobId, issuanceJobOptions } from "@rushgate/api";
import { createKeys, createRedis } from "@rushgate/redis";
import { Queue } from "bullmq";
import mysql from "mysql2/promise";
import { repoRoot, runId, type Spawned, spawnNode } from "../stack";
import { median } from "../stats";

export interface DrainRound {
  side: "issuer" | "noop";
  jobs: number;
  seconds: number;
  perSecond: number;
}

export interface DrainResult {
  rounds: DrainRound[];
  issuerMedian: number;
  noopMedian: number;
  ratio: number;
  concurrency: number;
}

const CONCURRENCY = 500;

/**
 * Issuer drain rate against a BullMQ worker that does nothing, each from a queue pre-filled with
 * the same number of issuance jobs (same ids, data and options as the coupon server's). Both run
 * as their own processes with concurrency 500 (the issuer's default); the clock starts when the
 * first job leaves `wait` and stops when every job is done: for the issuer, when MySQL has every
 * row; for the no-op worker, when no job is waiting or active.
 */
export async function measureDrain(options: {
  redisUrl: string;
  databaseUrl: string;
  jobs: number;
  rounds: number;
  nodeArgs?: string[];
  log: (line: string) => void;
}): Promise<DrainResult> {
  const db = await mysql.createConnection({ uri: options.databaseUrl });
  const rounds: DrainRound[] = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const order: DrainRound["side"][] = round % 2 ? ["issuer", "noop"] : ["noop", "issuer"];
      for (const side of order) {
        const r = await drainOnce(side, options, db);
        rounds.push(r);
        options.log(
          `drain round ${round}/${options.rounds}: ${side.padEnd(6)} ${r.perSecond.toFixed(0).padStart(6)} jobs/s (${r.jobs} in ${r.seconds.toFixed(2)} s)`,
        );
      }
    }
  } finally {
    await db.end();
  }
  const issuerMedian = median(rounds.filter((r) => r.side === "issuer").map((r) => r.perSecond));
  const noopMedian = median(rounds.filter((r) => r.side === "noop").map((r) => r.perSecond));
  return { rounds, issuerMedian, noopMedian, ratio: issuerMedian / noopMedian, concurrency: CONCURRENCY };
}

async function drainOnce(
  side: DrainRound["side"],
  options: { redisUrl: string; databaseUrl: string; jobs: number; nodeArgs?: string[] },
  db: mysql.Connection,
): Promise<DrainRound> {
  const prefix = `drain${runId()}`;
  const redis = createRedis(options.redisUrl, { name: "bench-drain", blocking: true });
  const queue = new Queue(ISSUANCE_QUEUE, { connection: redis, prefix: createKeys(prefix).bullPrefix });
  // An event id no real event has, so the rows are this round's alone.
  const eventId = 900_000_000 + Math.floor(Math.random() * 99_000_000);
  const issuedAt = Date.now();
  for (let i = 0; i < options.jobs; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, options.jobs - i) }, (_, j) => {
      const data: IssuanceJob = { eventId, userId: `d${i + j}`, couponId: `RG-BENCH-${i + j}`, issuedAt };
      return {
        name: "issue",
        data,
        opts: { ...issuanceJobOptions, jobId: issuanceJobId(eventId, data.userId) },
      };
    });
    await queue.addBulk(chunk);
  }
  const env = {
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
  };
  let worker: Spawned;
  if (side === "issuer") {
    worker = await spawnNode({
      name: `${prefix}-issuer`,
      script: join(repoRoot, "servers", "issuer", "dist", "index.js"),
      env: {
        ...env,
        DATABASE_URL: options.databaseUrl,
        ISSUER_CONCURRENCY: String(CONCURRENCY),
        RECONCILE_INTERVAL_MS: "3600000",
      },
      nodeArgs: options.nodeArgs,
      readyPath: "/healthz",
    });
  } else {
    worker = await spawnNode({
      name: `${prefix}-noop`,
      script: fileURLToPath(new URL("./noop-worker.js", import.meta.url)),
      env: { ...env, CONCURRENCY: String(CONCURRENCY) },
      readyPath: "/",
    });
  }
  try {
    let started: number | undefined;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized", "failed");
      const now = performance.now();
      if (started === undefined && (counts.wait ?? 0) < options.jobs) started = now;
      const left =
        (counts.wait ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
      if (left === 0 && started !== undefined) {
        if ((counts.failed ?? 0) > 0) throw new Error(`${side}: ${counts.failed} jobs failed`);
        if (side === "issuer") {
          const [rows] = await db.query<mysql.RowDataPacket[]>(
            "SELECT COUNT(*) AS n FROM coupon_issuances WHERE event_id = ?",
            [eventId],
          );
          if (Number(rows[0]?.n) !== options.jobs)
            throw new Error(`issuer: ${rows[0]?.n} rows for ${options.jobs} jobs`);
        }
        const seconds = (performance.now() - started) / 1000;
        return { side, jobs: options.jobs, seconds, perSecond: options.jobs / seconds };
      }
      if (Date.now() > deadline) throw new Error(`${side}: ${left} jobs still queued after 300 s`);
      await sleep(20);
    }
  } finally {
    await worker.stop();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
    if (side === "issuer") await db.query("DELETE FROM coupon_issuances WHERE event_id = ?", [eventId]);
  }
}
