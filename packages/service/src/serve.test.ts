import { createLogger } from "@rushgate/logger";
import { Agent, request } from "undici";
import { describe, expect, it } from "vitest";
import { createBaseApp } from "./app";
import { createMetrics } from "./metrics";
import { listen } from "./serve";

const logger = createLogger({ service: "test", level: "silent" });

describe("graceful shutdown", () => {
  it("finishes the requests in flight, then refuses new ones and runs the close hook", async () => {
    const app = createBaseApp({ logger, metrics: createMetrics("test"), ready: async () => {} });
    app.get("/slow", async (c) => {
      await new Promise((r) => setTimeout(r, 300));
      return c.json({ done: true });
    });
    let hookRan = false;
    const server = await listen({
      app,
      port: 0,
      host: "127.0.0.1",
      logger,
      onClose: async () => {
        hookRan = true;
      },
    });
    const agent = new Agent({ connections: 20 });
    const inflight = Array.from({ length: 20 }, () =>
      request(`${server.url}/slow`, { dispatcher: agent }).then(async (r) => ({
        status: r.statusCode,
        body: await r.body.json(),
      })),
    );
    await new Promise((r) => setTimeout(r, 100));
    await server.close();
    expect(await Promise.all(inflight)).toEqual(Array(20).fill({ status: 200, body: { done: true } }));
    expect(hookRan).toBe(true);
    await expect(request(`${server.url}/healthz`)).rejects.toThrow();
    await agent.close();
  });

  it("turns unknown errors into a logged 500 without a stack trace", async () => {
    const app = createBaseApp({ logger, metrics: createMetrics("test"), ready: async () => {} });
    app.get("/boom", () => {
      throw new Error("secret internals at /srv/app.js:12");
    });
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error).toMatchObject({ code: "internal_error", message: "internal error" });
    expect(JSON.stringify(body)).not.toContain("secret internals");
    expect(body.error.requestId).toBeTruthy();
  });
});

describe("metrics", () => {
  it("are served on their own port only: the public port answers 404 for /metrics", async () => {
    const metrics = createMetrics("test");
    const app = createBaseApp({ logger, metrics, ready: async () => {} });
    const server = await listen({
      app,
      port: 0,
      host: "127.0.0.1",
      logger,
      metrics: { registry: metrics.registry, port: 0 },
    });
    try {
      expect((await request(`${server.url}/healthz`)).statusCode).toBe(200);
      const publicMetrics = await request(`${server.url}/metrics`);
      expect(publicMetrics.statusCode).toBe(404);
      expect(await publicMetrics.body.json()).toMatchObject({ error: { code: "not_found" } });

      expect(server.metricsUrl).toBeDefined();
      expect(server.metricsUrl).not.toBe(server.url);
      const scraped = await request(`${server.metricsUrl}/metrics`);
      expect(scraped.statusCode).toBe(200);
      expect(scraped.headers["content-type"]).toContain("text/plain");
      const text = await scraped.body.text();
      expect(text).toContain("rushgate_http_request_duration_seconds_count");
      expect(text).toContain('route="/healthz"');
      // The metrics port serves nothing else.
      expect((await request(`${server.metricsUrl}/healthz`)).statusCode).toBe(404);
    } finally {
      await server.close();
    }
    await expect(request(`${server.metricsUrl}/metrics`)).rejects.toThrow();
  });
});
