import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Logger } from "@rushgate/logger";
import type { Hono } from "hono";

export interface RunningServer {
  port: number;
  url: string;
  /**
   * Drains (still serving, each answer closing its connection, /readyz 503), stops accepting,
   * lets in-flight requests finish, then runs `onClose` (closing Redis, MySQL, workers).
   */
  close(): Promise<void>;
}

/** Starts an app and resolves once it listens (port 0 picks a free port). */
export function listen(options: {
  // biome-ignore lint/suspicious/noExplicitAny: any hono app
  app: Hono<any>;
  port: number;
  host: string;
  logger: Logger;
  onClose?: () => Promise<void>;
  /** How long to drain before closing the listener (SHUTDOWN_DRAIN_MS). */
  drainMs?: number;
  graceMs?: number;
}): Promise<RunningServer> {
  const { app, logger } = options;
  let draining = false;
  const fetch = async (request: Request, env: unknown): Promise<Response> => {
    if (!draining) return app.fetch(request, env);
    if (new URL(request.url).pathname === "/readyz") {
      const body = { error: { code: "service_unavailable", message: "shutting down" } };
      return Response.json(body, { status: 503, headers: { connection: "close" } });
    }
    const response = await app.fetch(request, env);
    try {
      response.headers.set("connection", "close");
    } catch {
      // immutable headers: the listener closes this connection after the drain anyway
    }
    return response;
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
      logger.info({ port: info.port }, "listening");
      resolve({
        port: info.port,
        url: `http://${host}:${info.port}`,
        async close() {
          draining = true;
          if (options.drainMs) await new Promise((r) => setTimeout(r, options.drainMs));
          const grace = setTimeout(() => closeAll(server), options.graceMs ?? 10_000);
          await new Promise<void>((done) => {
            server.close(() => done());
            closeIdle(server);
          });
          clearTimeout(grace);
          await options.onClose?.();
          logger.info("closed");
        },
      });
    });
    server.once("error", reject);
  });
}

function closeIdle(server: unknown) {
  (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}

function closeAll(server: unknown) {
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
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
