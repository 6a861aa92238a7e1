import { createKeys, createRedis, enter } from "@rushgate/redis";
import { mintToken } from "@rushgate/token";
import { createEvent, createHttp } from "../http";
import type { Stack } from "../stack";
import { median } from "../stats";
import { closedLoop, type LoopRequest, type LoopResult } from "./loop";

export interface ThroughputResult {
  name: "status" | "issue";
  router: LoopResult[];
  baseline: LoopResult[];
  routerMedian: number;
  baselineMedian: number;
  ratio: number;
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

  // The scheduler is off in the bench stack, so these stay waiting for the whole run.
  const now = Date.now();
  for (let i = 0; i < WAITERS; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) => enter(redis, keys.event(statusEvent), `w${i + j}`, now + i + j)),
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
        headers: { "x-user-id": userId, authorization: `Bearer ${token}` },
      });
    }
    await p.exec();
    admittedUpTo += count;
    return requests;
  }

  let poll = 0;
  const statusRouter = (): LoopRequest => ({
    method: "GET",
    path: `/api/queue/${statusEvent}/status`,
    headers: { "x-user-id": `w${poll++ % WAITERS}` },
  });
  const statusBaseline = (): LoopRequest => ({
    method: "GET",
    path: "/status",
    headers: { "x-user-id": `w${poll++ % WAITERS}` },
  });
  const issueBaseline = (): LoopRequest => ({
    method: "POST",
    path: "/issue",
    headers: { "x-user-id": `i${poll++}`, authorization: "Bearer v1.0.x.0.baseline-token-of-similar-length" },
  });

  const loop = (
    url: string,
    expect: number,
    next: () => LoopRequest | undefined,
    seconds = options.roundSeconds,
  ) => closedLoop({ url, concurrency: options.concurrency, seconds, expect, next });

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
      ["status", "router", () => loop(stack.routerUrl, 200, statusRouter)],
      ["status", "baseline", () => loop(options.baselineUrl, 200, statusBaseline)],
      ["issue", "router", () => loop(stack.routerUrl, 201, () => issues[nextIssue++])],
      ["issue", "baseline", () => loop(options.baselineUrl, 200, issueBaseline)],
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
    return { name, router, baseline, routerMedian, baselineMedian, ratio: routerMedian / baselineMedian };
  });
}
