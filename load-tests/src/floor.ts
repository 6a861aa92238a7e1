/**
 * The burst's two baselines (bench/burst.ts), nothing but Node and undici:
 *
 *   node floor.js floor   a bare node:http server: POST /api/events/:id/entry answers 202 and
 *                         GET /api/queue/:id/status 200, both with the same fixed waiting JSON
 *                         (the floor of this machine: what any server must at least spend)
 *   node floor.js hop     a node:http server that passes every request on with undici's
 *                         dispatch over a keep-alive Pool to BACK_URL (the floor), as the router's
 *                         fast path does: the leanest two-hop forwarder
 *
 * Configured by PORT and BACK_URL (the bench sets them). Both answer GET /healthz.
 */
import { createServer } from "node:http";
import { floor, hop } from "./bench/floor-servers";

const port = Number(process.env.PORT ?? 0);
const server = createServer(process.argv[2] === "hop" ? hop(process.env.BACK_URL ?? "") : floor);
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
