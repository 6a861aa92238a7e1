import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@rushgate/logger";
import type { Registry } from "prom-client";

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` (Prometheus text) on a port of its own, so that the public port never serves it
 * and the Ingress cannot route to it: only what can reach the pod (a Prometheus scraping by pod
 * annotation) sees it. Everything else on this port is a 404.
 */
export function serveMetrics(options: {
  registry: Registry;
  port: number;
  host: string;
  logger: Logger;
}): Promise<MetricsServer> {
  const { registry, logger } = options;
  const server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if ((req.method === "GET" || req.method === "HEAD") && path === "/metrics") {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(req.method === "HEAD" ? undefined : text);
        },
        (err) => {
          logger.error({ err }, "metrics failed");
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "internal_error", message: "internal error" } }));
        },
      );
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "not_found", message: "only GET /metrics is served here" } }));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
      logger.info({ port }, "metrics listening");
      resolve({
        port,
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
