/**
 * The drain baseline: a BullMQ worker on the issuance queue whose processor does nothing, with the
 * issuer's connection settings and concurrency (REDIS_URL, REDIS_PREFIX, CONCURRENCY). It serves
 * GET /healthz on PORT so the bench can tell when it runs.
 */
import { createServer } from "node:http";
import { ISSUANCE_QUEUE } from "@rushgate/api";
import { createKeys, createRedis } from "@rushgate/redis";
import { Worker } from "bullmq";

const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  name: "baseline-noop-worker",
  blocking: true,
});
const worker = new Worker(ISSUANCE_QUEUE, async () => {}, {
  connection: redis,
  prefix: createKeys(process.env.REDIS_PREFIX ?? "rg").bullPrefix,
  concurrency: Number(process.env.CONCURRENCY ?? 500),
});
const health = createServer((_req, res) => res.end("ok")).listen(Number(process.env.PORT ?? 0), "127.0.0.1");
process.on("SIGTERM", () => {
  health.close();
  void worker.close().then(() => process.exit(0));
});
