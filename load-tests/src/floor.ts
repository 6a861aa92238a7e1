/**
 * The burst's baselines (bench/burst.ts), nothing but Node, undici and ioredis:
 *
 *   node floor.js floor   a bare node:http server: POST /api/events/:id/entry answers 202 and
 *                         GET /api/queue/:id/status 200, both with the same fixed waiting JSON
 *                         (the floor of this machine: what any server must at least spend)
 *   node floor.js hop     a node:http server that passes every request on with undici's
 *                         dispatch over a keep-alive Pool to BACK_URL (the floor), as the router's
 *                         dispatch over a keep-alive Pool to BACK_URL (the floor): the leanest
 *                         two-hop forwarder
 *   node floor.js redis   the floor plus one trivial Redis script call (REDIS_URL) per entry and
 *                         poll, on a client made as the router's
 *
 * Configured by PORT, BACK_URL and REDIS_URL (the bench sets them). All answer GET /healthz, and
 * listen with the servers' own backlog, so that none of them meets a shorter accept queue.
 */
import { createServer } from "node:http";
import { createRedis } from "@rushgate/redis";
import { floor, hop, redisFloor } from "./bench/floor-servers";

/** The servers' listen backlog (packages/service/src/serve.ts); the kernel caps it at somaxconn. */
const LISTEN_BACKLOG = 65_535;

const port = Number(process.env.PORT ?? 0);
const kind = process.argv[2];
const handler =
  kind === "hop"
    ? hop(process.env.BACK_URL ?? "")
    : kind === "redis"
      ? redisFloor(
          createRedis(process.env.REDIS_URL ?? "", { name: "bench-redis-floor", autoPipeline: true }),
        )
      : floor;
const server = createServer(handler);
server.listen({ port, host: "127.0.0.1", backlog: LISTEN_BACKLOG });
process.on("SIGTERM", () => process.exit(0));
