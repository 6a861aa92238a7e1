import { createKeys, createRedis, enter } from "@rushgate/redis";
import { mintToken } from "@rushgate/token";
import { cpuSeconds } from "../cpu";
import { createEvent, createHttp } from "../http";
import { identityHeaders } from "../identity";
import type { Stack } from "../stack";
import { median } from "../stats";
import { closedLoop, type LoopRequest, type LoopResult } from "./loop";

/** CPU microseconds per request of each process during one loop. */
export type CpuPerRequest = Record<string, number>;

export interface ThroughputResult {
  name: "status" | "issue";
  router: LoopResult[];
  baseline: LoopResult[];
  routerMedian: number;
  baselineMedian: number;
  ratio: number;
  /** Median CPU µs per request, per process, of the router side and the baseline side. */
  routerCpu: CpuPerRequest;
  baselineCpu: CpuPerRequest;
}

const WAITERS = 10_000;
const HOUR = 3_600_000;

/**
 * Status polls and issues through the router against the bare baseline (baseline.ts), side by
 * side: each round runs all four loops, alternating which side goes first, and the ratio is of
 * the medians. Waiters and admitted users are put straight into Redis so that every router
 * request does its full work: a status finds a waiting user, an issue takes a coupon (201).
 */
export async function measureThroughput(options: {
  stack: Stack;
  redisUrl: string;
  baselineUrl: string;
  rounds: number;
  roundSeconds: number;
  concurrency: number;
  /** Processes whose CPU is accounted per request (servers, baseline, redis-server). */
  processes: { name: string; pid: number | undefined }[];
  log: (line: string) => void;
}): Promise<ThroughputResult[]> {
  const { stack, log } = options;
  const http = createHttp(stack.routerUrl, 4);
  const redis = createRedis(options.redisUrl, { name: "bench-setup" });
  const keys = createKeys(stack.prefix);
  const settings = {
    runningCapacity: 1_000_000,
    admitPerTick: 200,
    admissionTtlSeconds: 3600,
    openSeconds: 7200,
  };
  const statusEvent = await createEvent(http, stack.adminToken, {
    ...settings,
    name: "bench status",
    stock: 1_000_000,
    rpmThreshold: 0,
  });
  const issueEvent = await createEvent(http, stack.adminToken, {
    ...settings,
    name: "bench issue",
    stock: 10_000_000,
    rpmThreshold: 0,
  });
  await http.close();

  // Every request says who it is as a signed-in user does (X-Identity-Token); the baselines get
  // the same headers, so both sides receive the same bytes. Minted before the clock.
  const waiterHeaders = Array.from({ length: WAITERS }, (_, i) =>
    identityHeaders(stack.identitySecret, `w${i}`),
  );
  // The scheduler is off in the bench stack, so these stay waiting for the whole run.
  for (let i = 0; i < WAITERS; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) => enter(redis, keys.event(statusEvent), `w${i + j}`)),
    );
  }

  let admittedUpTo = 0;
  /** Puts `count` more users into `running` and returns their issue requests, tokens minted. */
  async function admitUsers(count: number): Promise<LoopRequest[]> {
    const expiresAt = Date.now() + HOUR;
    const requests: LoopRequest[] = [];
    const p = redis.pipeline();
    for (let i = 0; i < count; i++) {
      const userId = `i${admittedUpTo + i}`;
      p.zadd(keys.event(issueEvent).running, expiresAt, userId);
      const token = mintToken(stack.admissionSecret, { eventId: issueEvent, userId, expiresAt });
      requests.push({
        method: "POST",
        path: `/api/events/${issueEvent}/issue`,
        headers: { ...identityHeaders(stack.identitySecret, userId), authorization: `Bearer ${token}` },
      });
    }
    await p.exec();
    admittedUpTo += count;
    return requests;
  }

  let poll = 0;
  const waiter = () => waiterHeaders[poll++ % WAITERS] ?? {};
  const statusRouter = (): LoopRequest => ({
    method: "GET",
    path: `/api/queue/${statusEvent}/status`,
    headers: waiter(),
  });
  const statusBaseline = (): LoopRequest => ({ method: "GET", path: "/status", headers: waiter() });
  const issueBaseline = (): LoopRequest => ({
    method: "POST",
    path: "/issue",
    headers: { ...waiter(), authorization: "Bearer v1.0.x.0.baseline-token-of-similar-length" },
  });

  const cpu: Record<string, CpuPerRequest[]> = {};
  const loop = async (
    url: string,
    expect: number,
    next: () => LoopRequest | undefined,
    seconds = options.roundSeconds,
    tag?: string,
  ) => {
    const before = options.processes.map((p) => (p.pid === undefined ? Number.NaN : cpuSeconds(p.pid)));
    const self = process.cpuUsage();
    const result = await closedLoop({ url, concurrency: options.concurrency, seconds, expect, next });
    if (tag) {
      const own = process.cpuUsage(self);
      const perRequest: CpuPerRequest = { driver: (own.user + own.system) / result.requests };
      options.processes.forEach((p, i) => {
        const used = (p.pid === undefined ? Number.NaN : cpuSeconds(p.pid)) - (before[i] ?? Number.NaN);
        if (Number.isFinite(used)) perRequest[p.name] = (used * 1e6) / result.requests;
      });
      cpu[tag] = [...(cpu[tag] ?? []), perRequest];
    }
    return result;
  };

  // Warm-up (JIT, connections) of both sides, not counted.
  log("throughput: warming up");
  await loop(stack.routerUrl, 200, statusRouter, 2);
  await loop(options.baselineUrl, 200, statusBaseline, 2);
  const warmIssues = await admitUsers(20_000);
  await loop(stack.routerUrl, 201, () => warmIssues.pop(), 2);
  await loop(options.baselineUrl, 200, issueBaseline, 2);

  const results: Record<"status" | "issue", { router: LoopResult[]; baseline: LoopResult[] }> = {
    status: { router: [], baseline: [] },
    issue: { router: [], baseline: [] },
  };
  const perRoundIssues = 12_000 * options.roundSeconds;
  for (let round = 1; round <= options.rounds; round++) {
    const issues = await admitUsers(perRoundIssues);
    let nextIssue = 0;
    const pairs = [
      ["status", "router", () => loop(stack.routerUrl, 200, statusRouter, undefined, "status router")],
      [
        "status",
        "baseline",
        () => loop(options.baselineUrl, 200, statusBaseline, undefined, "status baseline"),
      ],
      [
        "issue",
        "router",
        () => loop(stack.routerUrl, 201, () => issues[nextIssue++], undefined, "issue router"),
      ],
      ["issue", "baseline", () => loop(options.baselineUrl, 200, issueBaseline, undefined, "issue baseline")],
    ] as const;
    // Alternate which side runs first, so that neither always meets a warmer or colder machine.
    const order = round % 2 ? [0, 1, 2, 3] : [1, 0, 3, 2];
    for (const i of order) {
      const [name, side, run] = pairs[i as 0 | 1 | 2 | 3];
      const r = await run();
      results[name][side].push(r);
      log(
        `throughput round ${round}/${options.rounds}: ${name} ${side.padEnd(8)} ${r.perSecond.toFixed(0).padStart(6)} req/s` +
          ` p50 ${r.latency.p50.toFixed(2)} ms p99 ${r.latency.p99.toFixed(2)} ms` +
          (r.unexpected ? `  ${r.unexpected} unexpected ${JSON.stringify(r.statuses)}` : ""),
      );
      if (name === "issue" && side === "router" && nextIssue >= issues.length) {
        log(`  (ran out of ${issues.length} admitted users: raise perRoundIssues)`);
      }
    }
  }
  redis.disconnect();

  return (["status", "issue"] as const).map((name) => {
    const { router, baseline } = results[name];
    const routerMedian = median(router.map((r) => r.perSecond));
    const baselineMedian = median(baseline.map((r) => r.perSecond));
    return {
      name,
      router,
      baseline,
      routerMedian,
      baselineMedian,
      ratio: routerMedian / baselineMedian,
      routerCpu: medianCpu(cpu[`${name} router`] ?? []),
      baselineCpu: medianCpu(cpu[`${name} baseline`] ?? []),
    };
  });
}

function medianCpu(rounds: CpuPerRequest[]): CpuPerRequest {
  const out: CpuPerRequest = {};
  for (const name of Object.keys(rounds[0] ?? {}))
    out[name] = median(rounds.map((r) => r[name] ?? Number.NaN));
  return out;
}
