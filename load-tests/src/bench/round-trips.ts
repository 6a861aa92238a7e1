import { createKeys, createRedis } from "@rushgate/redis";
import { mintToken } from "@rushgate/token";
import type { Redis } from "ioredis";
import { createEvent, createHttp, type Http, QUEUE_ONLY_EVENT } from "../http";
import { identityHeaders } from "../identity";
import type { Stack } from "../stack";

/**
 * Redis round trips and commands per request, seen from Redis (SPEC §6), the approach of
 * e2e/src/budgets.test.ts on the bench's private redis-server: MONITOR lists every command a
 * client sends (one round trip each; the bench's requests never pipeline) and, right after a
 * script call, the commands the script ran (source "lua"). Each client is named by CLIENT LIST, so
 * the router's periodic flush (GET threshold + gate-sync per event) is told apart and left out.
 */
export interface RoundTripResult {
  name: "gate + enter" | "status" | "issue";
  requests: number;
  /** Round trips per request, by the server that made them. */
  perRequest: number;
  byServer: Record<string, number>;
  /** Commands per request including those run inside scripts. */
  commandsPerRequest: number;
  byCommand: Record<string, number>;
  flushes: number;
  target: string;
  met: boolean;
}

interface Line {
  client: string;
  args: string[];
  lua: number;
}

async function monitor(redis: Redis, run: () => Promise<void>): Promise<Line[]> {
  const m = await redis.monitor();
  const lines: Line[] = [];
  const marker = `bench-marker-${Math.random()}`;
  let done: () => void = () => {};
  const seen = new Promise<void>((resolve) => {
    done = resolve;
  });
  let finished = false;
  m.on("monitor", (_time: string, args: string[], source: string) => {
    if (finished) return;
    if (args[1] === marker) {
      finished = true;
      return done();
    }
    if (source === "lua") {
      const last = lines[lines.length - 1];
      if (last) last.lua += 1;
      return;
    }
    lines.push({ client: source, args, lua: 0 });
  });
  try {
    await run();
    await redis.echo(marker);
    await seen;
  } finally {
    m.disconnect();
  }
  return lines;
}

/** Client address -> server name ("router", "coupon", ...: the servers name their connections). */
async function clientNames(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const list = (await redis.client("LIST")) as string;
  const names = new Map<string, string>();
  for (const line of list.split("\n")) {
    const addr = /addr=(\S+)/.exec(line)?.[1];
    const name = /name=(\S*)/.exec(line)?.[1];
    if (addr) names.set(addr, (name || "unnamed").replace(/^rushgate-/, "").replace(`-${prefix}`, ""));
  }
  return names;
}

function isFlush(line: Line, names: Map<string, string>, thresholdKey: string): boolean {
  if (names.get(line.client) !== "router") return false;
  const cmd = line.args[0]?.toLowerCase();
  if (cmd === "get" && line.args[1] === thresholdKey) return true;
  return cmd === "evalsha" && (line.args[3] ?? "").endsWith(":rpm");
}

export async function measureRoundTrips(options: {
  stack: Stack;
  redisUrl: string;
  requests: number;
}): Promise<RoundTripResult[]> {
  const { stack, requests: n } = options;
  // A single redis-server (the bench's own): MONITOR and CLIENT LIST are per node.
  const redis = createRedis(options.redisUrl, { name: "bench-monitor" }) as Redis;
  const keys = createKeys(stack.prefix);
  const http = createHttp(stack.routerUrl, 50);
  const eventId = await createEvent(http, stack.adminToken, {
    ...QUEUE_ONLY_EVENT,
    name: "bench round trips",
  });
  const batch = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < n; i += 50)
      await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => fn(i + j)));
  };
  const expectStatus = (
    http: Http,
    method: "GET" | "POST",
    path: string,
    headers: Record<string, string>,
    want: number,
  ) =>
    http.call(method, path, headers).then((r) => {
      if (r.status !== want) throw new Error(`${method} ${path} answered ${r.status}, expected ${want}`);
    });

  const who = (userId: string) => identityHeaders(stack.identitySecret, userId);
  // Warm-up: the router learns the event, every script is loaded, BullMQ is connected.
  await expectStatus(http, "POST", `/api/events/${eventId}/entry`, who("warm"), 202);
  await expectStatus(http, "GET", `/api/queue/${eventId}/status`, who("warm"), 200);
  const expiresAt = Date.now() + 3_600_000;
  const token = (userId: string) => mintToken(stack.admissionSecret, { eventId, userId, expiresAt });
  await redis.zadd(keys.event(eventId).running, expiresAt, "warm-issuer");
  await expectStatus(
    http,
    "POST",
    `/api/events/${eventId}/issue`,
    { ...who("warm-issuer"), authorization: `Bearer ${token("warm-issuer")}` },
    201,
  );
  const p = redis.pipeline();
  for (let i = 0; i < n; i++) p.zadd(keys.event(eventId).running, expiresAt, `rt-issue-${i}`);
  await p.exec();

  const phases = [
    {
      // The router decides the gate from its snapshot (0 calls, SPEC §3) and, the user going to
      // the queue, runs the enter script itself: 1 in all, as e2e/src/budgets.test.ts counts it.
      name: "gate + enter" as const,
      target: "1",
      limit: 1,
      run: () =>
        batch((i) => expectStatus(http, "POST", `/api/events/${eventId}/entry`, who(`rt-${i}`), 202)),
    },
    {
      name: "status" as const,
      target: "1",
      limit: 1,
      run: () => batch((i) => expectStatus(http, "GET", `/api/queue/${eventId}/status`, who(`rt-${i}`), 200)),
    },
    {
      name: "issue" as const,
      target: "<= 2",
      limit: 2,
      run: () =>
        batch((i) =>
          expectStatus(
            http,
            "POST",
            `/api/events/${eventId}/issue`,
            { ...who(`rt-issue-${i}`), authorization: `Bearer ${token(`rt-issue-${i}`)}` },
            201,
          ),
        ),
    },
  ];

  const results: RoundTripResult[] = [];
  for (const phase of phases) {
    const lines = await monitor(redis, phase.run);
    const names = await clientNames(redis, stack.prefix);
    const own = lines.filter(
      (l) => !isFlush(l, names, keys.threshold) && names.get(l.client) !== "bench-monitor",
    );
    const flushes = lines.filter(
      (l) => isFlush(l, names, keys.threshold) && l.args[0]?.toLowerCase() === "get",
    ).length;
    const byServer: Record<string, number> = {};
    const byCommand: Record<string, number> = {};
    let commands = 0;
    let counted = 0;
    for (const l of own) {
      const server = names.get(l.client) ?? l.client;
      byServer[server] = (byServer[server] ?? 0) + 1 / n;
      const cmd = l.args[0]?.toLowerCase() ?? "?";
      byCommand[cmd] = (byCommand[cmd] ?? 0) + 1 / n;
      counted += 1;
      commands += 1 + l.lua;
    }
    const perRequest = counted / n;
    results.push({
      name: phase.name,
      requests: n,
      perRequest,
      byServer,
      commandsPerRequest: commands / n,
      byCommand,
      flushes,
      target: phase.target,
      met: perRequest <= phase.limit,
    });
  }
  await http.close();
  redis.disconnect();
  return results;
}
