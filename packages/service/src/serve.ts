import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Logger } from "@rushgate/logger";
import type { Hono } from "hono";
import type { Registry } from "prom-client";
import { serveMetrics } from "./metrics-server";

export interface RunningServer {
  port: number;
  url: string;
  /** Where `GET /metrics` is served, when the server was given a metrics registry. */
  metricsUrl?: string;
  /**
   * Drains (still serving, each answer closing its connection, /readyz 503), stops accepting,
   * lets in-flight requests finish, then runs `onClose` (closing Redis, MySQL, workers).
   */
  close(): Promise<void>;
}

/**
 * A handler for the hottest route, on Node's own request and response: it returns true when it
 * has taken the request (and answers it itself), false to leave it to the hono app. Only the
 * plain, well-formed shape of a request is worth taking; anything unusual goes to the app, which
 * answers errors the usual way.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const LISTEN_BACKLOG = 65_535;

/** Starts an app and resolves once it listens (port 0 picks a free port). */
export async function listen(options: {
  // biome-ignore lint/suspicious/noExplicitAny: any hono app
  app: Hono<any>;
  port: number;
  host: string;
  logger: Logger;
  onClose?: () => Promise<void>;
  /** How long to drain before closing the listener (SHUTDOWN_DRAIN_MS). */
  drainMs?: number;
  graceMs?: number;
  fastPath?: FastPath;
  /** Serve this registry's `GET /metrics` on its own port (METRICS_PORT), not on `port`. */
  metrics?: { registry: Registry; port: number };
}): Promise<RunningServer> {
  const { app, logger, fastPath } = options;
  let draining = false;
  const toApp = getRequestListener(app.fetch);
  const server = createServer((req, res) => {
    if (draining) {
      // Every answer closes its connection, so keep-alive clients move to another instance.
      res.shouldKeepAlive = false;
      if (req.url === "/readyz") {
        res.writeHead(503, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error: { code: "service_unavailable", message: "shutting down" } }));
        return;
      }
    }
    if (fastPath?.(req, res)) return;
    void toApp(req, res);
  });
  const metrics = options.metrics
    ? await serveMetrics({ ...options.metrics, host: options.host, logger })
    : undefined;
  return new Promise((resolve, reject) => {
    server.once("error", (err) => {
      void metrics?.close();
      reject(err);
    });
    // A drop opens with thousands of connections in the same second: Node's default backlog
    // (511) overflows, and each refused SYN costs the client a 1, 2, 4 … s retransmit. The kernel
    // caps this at net.core.somaxconn (see docs/OPERATIONS.md).
    server.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => {
      const info = server.address() as AddressInfo;
      const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
      logger.info({ port: info.port }, "listening");
      resolve({
        port: info.port,
        url: `http://${host}:${info.port}`,
        metricsUrl: metrics?.url,
        async close() {
          draining = true;
          if (options.drainMs) await new Promise((r) => setTimeout(r, options.drainMs));
          const grace = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 10_000);
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          });
          clearTimeout(grace);
          await options.onClose?.();
          await metrics?.close();
          logger.info("closed");
        },
      });
    });
  });
}

/**
 * Process entry: start, then on SIGTERM/SIGINT close gracefully and exit. A crash is logged and
 * ends the process (never carry on after an uncaught exception).
 */
export async function runMain(logger: Logger, start: () => Promise<RunningServer>): Promise<void> {
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception");
    process.exit(1);
  });
  process.on("unhandledRejection", (err) => {
    logger.fatal({ err }, "unhandled rejection");
    process.exit(1);
  });
  let running: RunningServer;
  try {
    running = await start();
  } catch (err) {
    logger.fatal({ err }, "failed to start");
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    try {
      await running.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, "unclean shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
