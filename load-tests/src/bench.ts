/**
 * `pnpm bench`: the ratios of docs/PERFORMANCE.md, measured side by side in one run on a private
 * redis-server, printed as a table and written as JSON under load-tests/results/.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startScratchRedis } from "@rushgate/testing";
import { BENCH_USAGE, type BenchOptions, parseBenchArgs } from "./args";
import { type BurstResult, burstRatios, measureBurst } from "./bench/burst";
import { type DrainResult, measureDrain } from "./bench/drain";
import { measureRoundTrips, type RoundTripResult } from "./bench/round-trips";
import {
  type HoldResult,
  holdStreams,
  measureStreams,
  STREAMS_PER_PROCESS,
  type StreamsResult,
} from "./bench/streams";
import { measureThroughput, type ThroughputResult } from "./bench/throughput";
import { measureTick, type TickResult } from "./bench/tick";
import { createEvent, createHttp, QUEUE_ONLY_EVENT } from "./http";
import { fitUsers } from "./limits";
import { machine, redisPid } from "./machine";
import { ensureDir, prepareDatabase, repoRoot, runId, type Spawned, spawnNode, startStack } from "./stack";
import { type Cell, fixed, formatTable, ms } from "./table";

const log = (line: string) => console.log(line);

interface Results {
  burst?: BurstResult;
  throughput?: ThroughputResult[];
  roundTrips?: RoundTripResult[];
  drain?: DrainResult;
  tick?: TickResult;
  streams?: StreamsResult;
  hold?: HoldResult;
}

async function runStackPhases(opts: BenchOptions, redisUrl: string, nodeArgs: string[], results: Results) {
  const prefix = `bench${runId()}`;
  const stack = await startStack({
    redisUrl,
    databaseUrl: opts.databaseUrl,
    prefix,
    issuer: false,
    schedulerEnabled: false,
    nodeArgs,
  });
  const baseline: Spawned[] = [];
  const processName = (s: Spawned) => s.name.replace(`${prefix}-`, "");
  try {
    if (opts.only.includes("burst")) {
      const script = fileURLToPath(new URL("./floor.js", import.meta.url));
      const floor = await spawnNode({
        name: `${prefix}-floor`,
        script,
        args: ["floor"],
        env: {},
        nodeArgs,
        readyPath: "/healthz",
      });
      baseline.push(floor);
      const hop = await spawnNode({
        name: `${prefix}-hop`,
        script,
        args: ["hop"],
        env: { BACK_URL: floor.url },
        nodeArgs,
        readyPath: "/healthz",
      });
      baseline.push(hop);
      const redisFloor = await spawnNode({
        name: `${prefix}-redis-floor`,
        script,
        args: ["redis"],
        env: { REDIS_URL: redisUrl },
        nodeArgs,
        readyPath: "/healthz",
      });
      baseline.push(redisFloor);
      const admin = createHttp(stack.routerUrl, 2);
      // Everyone queues (threshold 0) and stays waiting (the bench's scheduler is off).
      const eventId = await createEvent(admin, stack.adminToken, {
        ...QUEUE_ONLY_EVENT,
        name: "bench burst",
      });
      await admin.close();
      const redisServer = { name: "redis-server", pid: await redisPid(redisUrl) };
      const own = (s: Spawned) => ({ name: processName(s), pid: s.child.pid });
      results.burst = await measureBurst({
        targets: [
          {
            name: "rushgate",
            url: stack.routerUrl,
            eventId,
            processes: [...stack.servers.map(own), redisServer],
          },
          { name: "floor", url: floor.url, eventId, processes: [own(floor)] },
          { name: "hop", url: hop.url, eventId, processes: [own(hop), own(floor)] },
          { name: "floor+redis", url: redisFloor.url, eventId, processes: [own(redisFloor), redisServer] },
        ],
        users: opts.burstUsers,
        polls: opts.burstPolls,
        pollMs: opts.burstPollMs,
        rounds: opts.burstRounds,
        runId: prefix,
        identitySecret: stack.identitySecret,
        log,
      });
    }
    if (opts.only.includes("throughput")) {
      const script = fileURLToPath(new URL("./baseline.js", import.meta.url));
      const back = await spawnNode({
        name: `${prefix}-baseline-back`,
        script,
        args: ["back"],
        env: { REDIS_URL: redisUrl },
        nodeArgs,
        readyPath: "/healthz",
      });
      baseline.push(back);
      const front = await spawnNode({
        name: `${prefix}-baseline-front`,
        script,
        args: ["front"],
        env: { BACK_URL: back.url },
        nodeArgs,
        readyPath: "/healthz",
      });
      baseline.push(front);
      const processes = [...stack.servers, back, front].map((s) => ({
        name: processName(s),
        pid: s.child.pid,
      }));
      processes.push({ name: "redis-server", pid: await redisPid(redisUrl) });
      results.throughput = await measureThroughput({
        stack,
        redisUrl,
        processes,
        baselineUrl: front.url,
        rounds: opts.rounds,
        roundSeconds: opts.roundSeconds,
        concurrency: opts.concurrency,
        log,
      });
    }
    if (opts.only.includes("streams")) {
      const router = stack.servers.find((s) => processName(s) === "router");
      const processes = [
        { name: "router", pid: router?.child.pid },
        { name: "redis-server", pid: await redisPid(redisUrl) },
      ];
      const common = { stack, processes, routerPid: router?.child.pid, runId: prefix, log };
      results.streams = await measureStreams({
        ...common,
        users: opts.streamUsers,
        seconds: opts.streamSeconds,
        rounds: opts.streamRounds,
        pollMs: 300,
      });
      if (opts.holdStreams > 0)
        results.hold = await holdStreams({
          stack,
          redisPid: processes[1]?.pid,
          runId: prefix,
          log,
          users: opts.holdStreams,
          seconds: opts.holdSeconds,
        });
    }
    if (opts.only.includes("round-trips")) {
      log("round trips: measuring gate, status and issue with MONITOR");
      results.roundTrips = await measureRoundTrips({ stack, redisUrl, requests: 300 });
    }
  } finally {
    for (const b of baseline.reverse()) await b.stop();
    await stack.stop();
  }
}

function summaryRows(r: Results): Record<string, Cell>[] {
  const rows: Record<string, Cell>[] = [];
  const yes = (ok: boolean) => (ok ? "met" : "MISSED");
  const rushgate = r.burst?.medians.find((m) => m.target === "rushgate");
  const floor = r.burst?.medians.find((m) => m.target === "floor");
  if (r.burst && rushgate && floor) {
    const ratio = burstRatios(rushgate, floor);
    const burst = `burst of ${r.burst.users}`;
    const compared = [
      [
        "CPU µs / request (all processes + Redis)",
        rushgate.cpuPerRequest,
        floor.cpuPerRequest,
        ratio.cpuPerRequest,
        1.5,
        0,
      ],
      ["latency p95 ms", rushgate.p95, floor.p95, ratio.p95, 1.5, -1],
      ["latency max ms", rushgate.max, floor.max, ratio.max, 2, -1],
      ["latency mean ms", rushgate.mean, floor.mean, ratio.mean, Number.NaN, -1],
    ] as const;
    for (const [what, ours, theirs, x, limit, digits] of compared) {
      const show = (v: number) => (digits < 0 ? ms(v) : fixed(v, digits));
      rows.push({
        measure: `${burst}: ${what}`,
        rushgate: show(ours),
        baseline: `${show(theirs)} (floor)`,
        result: `${fixed(x)}x`,
        target: Number.isFinite(limit) ? `<= ${limit.toFixed(1)}x` : "",
        verdict: Number.isFinite(limit) ? yes(x <= limit) : "",
      });
    }
    rows.push({
      measure: `${burst}: errors`,
      rushgate: rushgate.errors,
      baseline: `${floor.errors} (floor)`,
      result: "",
      target: "0",
      verdict: yes(rushgate.errors === 0),
    });
  }
  for (const t of r.throughput ?? []) {
    const target = t.name === "status" ? 1.5 : 0.8;
    rows.push({
      measure: `${t.name} throughput (req/s)`,
      rushgate: fixed(t.routerMedian, 0),
      baseline: fixed(t.baselineMedian, 0),
      result: `${fixed(t.ratio)}x`,
      target: `>= ${target.toFixed(1)}x`,
      verdict: yes(t.ratio >= target),
    });
  }
  for (const rt of r.roundTrips ?? []) {
    rows.push({
      measure: `${rt.name}: Redis round trips / request`,
      rushgate: fixed(rt.perRequest),
      baseline: "",
      result: `${fixed(rt.commandsPerRequest, 1)} commands`,
      target: rt.target,
      verdict: yes(rt.met),
    });
  }
  if (r.drain) {
    rows.push({
      measure: `issuer drain (jobs/s, ${r.drain.concurrency} concurrent)`,
      rushgate: fixed(r.drain.issuerMedian, 0),
      baseline: fixed(r.drain.noopMedian, 0),
      result: `${fixed(r.drain.ratio)}x`,
      target: ">= 0.7x",
      verdict: yes(r.drain.ratio >= 0.7),
    });
  }
  const sse = r.streams?.medians.find((m) => m.mode === "sse");
  const poll = r.streams?.medians.find((m) => m.mode === "poll");
  if (r.streams && sse && poll) {
    const x = sse.cpuPerUserSecond / poll.cpuAtFullRate;
    rows.push({
      measure: `${r.streams.users} waiting: server CPU µs / user / s, SSE vs polling every ${r.streams.pollMs} ms`,
      rushgate: fixed(sse.cpuPerUserSecond, 1),
      baseline: `${fixed(poll.cpuAtFullRate, 1)} (polling at ${fixed(1000 / r.streams.pollMs)} / s)`,
      result: `${fixed(x)}x`,
      target: "< 1.0x",
      verdict: yes(x < 1),
    });
    rows.push({
      measure: `${r.streams.users} waiting, as measured: SSE (${fixed(sse.messagesPerUserSecond)} messages / user / s) vs polling`,
      rushgate: fixed(sse.cpuPerUserSecond, 1),
      baseline: `${fixed(poll.cpuPerUserSecond, 1)} (${fixed(poll.messagesPerUserSecond)} polls / user / s)`,
      result: `${fixed(sse.cpuPerUserSecond / poll.cpuPerUserSecond)}x`,
      target: "< 1.0x",
      verdict: yes(sse.cpuPerUserSecond < poll.cpuPerUserSecond),
    });
    rows.push({
      measure: `${r.streams.users} waiting: router RSS KiB / open stream; errors`,
      rushgate: fixed(sse.rssPerStream / 1024, 1),
      baseline: `${sse.errors + poll.errors} errors`,
      result: "",
      target: "0 errors",
      verdict: yes(sse.errors + poll.errors === 0),
    });
  }
  if (r.hold) {
    rows.push({
      measure: `${r.hold.users} streams held ${fixed(r.hold.seconds, 0)} s on ${r.hold.routers} router(s) (RSS MiB; KiB / stream)`,
      rushgate: `${r.hold.open} open`,
      baseline: `${r.hold.routerRssMiB.map((v) => fixed(v, 0)).join(" + ")} MiB; ${fixed(r.hold.rssPerStream / 1024, 1)}`,
      result: `${r.hold.errors} errors`,
      target: "0 errors",
      verdict: yes(r.hold.errors === 0 && r.hold.open === r.hold.users),
    });
  }
  if (r.tick) {
    rows.push({
      measure: `scheduler tick, ${r.tick.waiting} waiting (ms)`,
      rushgate: ms(r.tick.client.p50),
      baseline: "",
      result: `p95 ${ms(r.tick.client.p95)}, in Redis ${ms(r.tick.server.p50)}`,
      target: "< 5 ms",
      verdict: yes(r.tick.client.p50 < 5),
    });
  }
  return rows;
}

/** Every target of the burst (medians of its rounds), and each one's ratios to the floor. */
function burstTable(b: BurstResult): string {
  const floor = b.medians.find((m) => m.target === "floor");
  const names = [...new Set(b.medians.flatMap((m) => Object.keys(m.byProcess)))];
  const lines = [
    `burst: ${b.users} users at once, one connection each; entry then ${b.polls} polls ${b.pollMs} ms apart ` +
      `(medians of ${b.medians[0]?.rounds ?? 0} rounds)`,
    formatTable(
      b.medians.map((m) => {
        const x = floor ? burstRatios(m, floor) : undefined;
        return {
          target: m.target,
          errors: m.errors,
          "CPU µs/req": fixed(m.cpuPerRequest, 0),
          "mean ms": ms(m.mean),
          "p50 ms": ms(m.p50),
          "p95 ms": ms(m.p95),
          "p99 ms": ms(m.p99),
          "max ms": ms(m.max),
          "CPU / floor": x ? `${fixed(x.cpuPerRequest)}x` : "",
          "p95 / floor": x ? `${fixed(x.p95)}x` : "",
          "max / floor": x ? `${fixed(x.max)}x` : "",
          "listen overflows": fixed(m.listenOverflows, 0),
        };
      }),
    ),
    "\nburst CPU µs per request by process (medians of rounds):",
    formatTable(
      names.map((n) => ({
        process: n,
        ...Object.fromEntries(
          b.medians.map((m) => [m.target, n in m.byProcess ? fixed(m.byProcess[n] ?? Number.NaN, 0) : ""]),
        ),
      })),
    ),
  ];
  return lines.join("\n");
}

async function main(): Promise<number> {
  const opts = parseBenchArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (opts.only.includes("burst")) {
    const { warning } = fitUsers(opts.burstUsers, "bench burst");
    if (warning) log(warning);
  }
  // The hold is spread over processes of at most STREAMS_PER_PROCESS sockets each (holdStreams).
  if (opts.only.includes("streams"))
    fitUsers(Math.max(opts.streamUsers, Math.min(opts.holdStreams, STREAMS_PER_PROCESS)), "bench streams");
  const m = machine();
  log(
    `bench on ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${process.version}; phases ${opts.only.join(", ")}`,
  );
  const resultsDir = ensureDir(join(repoRoot, "load-tests", "results"));
  const nodeArgs = opts.profile
    ? ["--cpu-prof", "--cpu-prof-dir", ensureDir(join(resultsDir, "profiles"))]
    : [];
  const scratch = await startScratchRedis();
  log(`private redis-server at ${scratch.url}`);
  const results: Results = {};
  try {
    await prepareDatabase(opts.databaseUrl);
    if (["burst", "throughput", "round-trips", "streams"].some((p) => opts.only.includes(p))) {
      await runStackPhases(opts, scratch.url, nodeArgs, results);
    }
    if (opts.only.includes("drain")) {
      results.drain = await measureDrain({
        redisUrl: scratch.url,
        databaseUrl: opts.databaseUrl,
        jobs: opts.drainJobs,
        rounds: opts.drainRounds,
        nodeArgs,
        log,
      });
    }
    if (opts.only.includes("tick")) {
      log(`tick: ${opts.ticks} scheduler ticks with ${opts.tickWaiting} people waiting`);
      results.tick = await measureTick({
        redisUrl: scratch.url,
        waiting: opts.tickWaiting,
        ticks: opts.ticks,
      });
    }
  } finally {
    await scratch.stop();
  }

  const rows = summaryRows(results);
  log(`\n${formatTable(rows)}`);
  if (results.burst) log(`\n${burstTable(results.burst)}`);
  for (const t of results.throughput ?? []) {
    const names = [...new Set([...Object.keys(t.routerCpu), ...Object.keys(t.baselineCpu)])];
    log(`\nCPU µs per ${t.name} request (median of rounds), by process:`);
    log(
      formatTable(
        names.map((n) => ({
          process: n,
          rushgate: Number.isFinite(t.routerCpu[n] ?? Number.NaN) ? fixed(t.routerCpu[n] ?? 0, 0) : "",
          baseline: Number.isFinite(t.baselineCpu[n] ?? Number.NaN) ? fixed(t.baselineCpu[n] ?? 0, 0) : "",
        })),
      ),
    );
  }
  for (const rt of results.roundTrips ?? []) {
    const by = Object.entries(rt.byServer)
      .map(([s, n]) => `${s} ${fixed(n)}`)
      .join(", ");
    const cmds = Object.entries(rt.byCommand)
      .map(([c, n]) => `${c} ${fixed(n)}`)
      .join(", ");
    log(
      `  ${rt.name}: by server ${by || "none"}; by command ${cmds || "none"}; router flushes meanwhile ${rt.flushes}`,
    );
  }
  const file = opts.json ?? join(resultsDir, `bench-${Date.now()}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), options: opts, machine: m, summary: rows, ...results }, null, 2)}\n`,
  );
  log(
    `\nresults written to ${file}${opts.profile ? `; CPU profiles in ${join(resultsDir, "profiles")}` : ""}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
