import { Pool } from "undici";
import { Samples, type Summary, summarize } from "../stats";

export interface LoopRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
}

export interface LoopResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Answers whose status was not the expected one (transport errors count as status 0). */
  unexpected: number;
  statuses: Record<string, number>;
  latency: Summary;
}

/**
 * An autocannon-style closed loop: `concurrency` requests always in flight over as many keep-alive
 * connections, for `seconds` or until `next` has no more requests. Throughput is completed
 * requests over the wall time.
 */
export async function closedLoop(options: {
  url: string;
  concurrency: number;
  seconds: number;
  expect: number;
  next: () => LoopRequest | undefined;
}): Promise<LoopResult> {
  const pool = new Pool(options.url, { connections: options.concurrency, keepAliveTimeout: 30_000 });
  const latency = new Samples();
  const statuses: Record<string, number> = {};
  let requests = 0;
  let unexpected = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;

  async function worker(): Promise<void> {
    while (performance.now() < until) {
      const req = options.next();
      if (!req) return;
      const t0 = performance.now();
      let status = 0;
      try {
        const res = await pool.request(req);
        await res.body.dump();
        status = res.statusCode;
      } catch {
        status = 0;
      }
      latency.push(performance.now() - t0);
      requests += 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== options.expect) unexpected += 1;
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    unexpected,
    statuses,
    latency: summarize(latency.values()),
  };
}
