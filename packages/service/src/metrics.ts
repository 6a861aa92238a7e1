import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  /** Records one request; the hono app and the raw core (raw.ts) both report through it. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** One registry per server instance (tests run several servers in one process). */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: "rushgate_http_request_duration_seconds",
    help: "HTTP request latency by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One labelled child per (method, route, status): prom-client hashes the label object on every
  // observe otherwise. Bounded, since a route label is a pattern, not a path.
  const timers = new Map<string, { observe(seconds: number): void }>();
  function observeRequest(method: string, route: string, status: number, seconds: number) {
    const key = `${method} ${status} ${route}`;
    let timer = timers.get(key);
    if (!timer) {
      timer = httpDuration.labels(method, route, String(status));
      if (timers.size < 1000) timers.set(key, timer);
    }
    timer.observe(seconds);
  }
  return { registry, httpDuration, observeRequest };
}

export function counter<L extends string>(
  metrics: Metrics,
  name: string,
  help: string,
  labelNames: L[] = [],
) {
  return new Counter<L>({ name, help, labelNames, registers: [metrics.registry] });
}
