/**
 * `pnpm load`: the rush scenario of SPEC §8 (load-tests/k6/rush.js), driven from Node (undici, no
 * k6). Starts the four built servers and a private redis-server (unless --url names a running
 * router), creates the event through the admin API, runs the virtual users (each with its own
 * connection, all arriving at once by default) with a progress line, prints latency per endpoint
 * and CPU per request by process, waits for the issuer to drain and checks SPEC §5 against MySQL.
 * Exit 1 when an invariant fails.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startScratchRedis } from "@rushgate/testing";
import { LOAD_USAGE, type LoadOptions, parseLoadArgs } from "./args";
import { cpuPerRequest, findPids, listenOverflows, watchCpu } from "./cpu";
import { checkFairness } from "./fairness";
import { createEvent, createHttp, fetchStats, type Http } from "./http";
import { identityHeaders } from "./identity";
import { type Check, checkInvariants } from "./invariants";
import { ENDPOINTS, type JourneyContext, journey, Tally } from "./journey";
import { fitUsers } from "./limits";
import { machine, redisPid } from "./machine";
import {
  deletePrefix,
  ensureDir,
  patiently,
  prepareDatabase,
  repoRoot,
  runId,
  type Stack,
  startStack,
} from "./stack";
import { summarize } from "./stats";
import { fixed, formatTable, ms } from "./table";

function progressLine(tally: Tally, elapsedMs: number, reqPerSec: number): string {
  const o = tally.outcomes;
  return (
    `${(elapsedMs / 1000).toFixed(0).padStart(4)}s  entered ${tally.entered}  waiting ${tally.waiting}  ` +
    `admitted ${tally.admitted}  issued ${o.issued}  sold out ${o.sold_out}  errors ${tally.errorCount}  ` +
    `req/s ${reqPerSec.toFixed(0)}`
  );
}

/** One line a second: rewritten in place on a terminal, appended otherwise (CI logs, files). */
function startProgress(tally: Tally, started: number) {
  const tty = process.stdout.isTTY;
  let lastRequests = 0;
  let lastAt = started;
  const timer = setInterval(() => {
    const now = performance.now();
    const rate = ((tally.requests - lastRequests) * 1000) / (now - lastAt);
    lastRequests = tally.requests;
    lastAt = now;
    const line = progressLine(tally, now - started, rate);
    process.stdout.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }, 1000);
  return () => {
    clearInterval(timer);
    if (tty) process.stdout.write("\n");
  };
}

/**
 * Starts every user: all in one synchronous loop (all-at-once: their entries leave together, each
 * opening its own connection), or evenly over `seconds`. Each user's identity token is minted
 * before, as a signed-in user has it before the sale opens. `launchMs` is how long the loop took.
 */
async function launch(
  ctx: JourneyContext,
  users: number,
  seconds: number,
  userId: (i: number) => string,
  identitySecret: string,
): Promise<{ launchMs: number }> {
  const people = Array.from({ length: users }, (_, i) => {
    const id = userId(i);
    return { userId: id, headers: identityHeaders(identitySecret, id) };
  });
  const started = performance.now();
  const running =
    seconds <= 0
      ? people.map((p) => journey(ctx, p))
      : people.map((p, i) => sleep((i * seconds * 1000) / users).then(() => journey(ctx, p)));
  const launchMs = performance.now() - started;
  await Promise.all(running);
  return { launchMs };
}

async function runScenario(
  baseUrl: string,
  opts: LoadOptions,
  eventId: number,
  id: string,
  identitySecret: string,
) {
  const tally = new Tally();
  const ctx = { baseUrl, tally, eventId, pollMs: opts.pollMs, maxWaitSeconds: opts.maxWaitSeconds };
  const started = performance.now();
  const stopProgress = startProgress(tally, started);
  const { launchMs } = await launch(
    ctx,
    opts.vus,
    opts.arrivalSeconds,
    (i) => `load-${id}-${i + 1}`,
    identitySecret,
  );
  stopProgress();
  return { tally, launchMs, seconds: (performance.now() - started) / 1000 };
}

function latencyRows(tally: Tally, seconds: number) {
  const rows = ENDPOINTS.map((endpoint) => {
    const s = summarize(tally.latency[endpoint].values());
    return {
      endpoint: endpoint as string,
      requests: s.count,
      errors: tally.errors[endpoint],
      "p50 ms": ms(s.p50),
      "p95 ms": ms(s.p95),
      "p99 ms": ms(s.p99),
      "max ms": ms(s.max),
      "mean ms": ms(s.mean),
      "req/s": fixed(s.count / seconds, 0),
    };
  });
  const all = summarize(Float64Array.from(ENDPOINTS.flatMap((e) => Array.from(tally.latency[e].values()))));
  rows.push({
    endpoint: "all",
    requests: all.count,
    errors: tally.errorCount,
    "p50 ms": ms(all.p50),
    "p95 ms": ms(all.p95),
    "p99 ms": ms(all.p99),
    "max ms": ms(all.max),
    "mean ms": ms(all.mean),
    "req/s": fixed(all.count / seconds, 0),
  });
  return rows;
}

/**
 * Freshly started servers run their first thousands of requests unoptimised; a platform under a
 * real drop has been up for a while. A small rush on a throwaway event (entries, polls, issues)
 * warms every path before the measured event is created.
 */
async function warmUp(
  http: Http,
  baseUrl: string,
  adminToken: string,
  identitySecret: string,
  opts: LoadOptions,
  id: string,
) {
  const eventId = await createEvent(http, adminToken, {
    name: `load ${id} warm-up`,
    stock: Math.ceil(opts.warmup / 2),
    rpmThreshold: Math.ceil(opts.warmup / 4),
    runningCapacity: opts.runningCapacity,
    admitPerTick: opts.admitPerTick,
    admissionTtlSeconds: 300,
    openSeconds: 600,
  });
  const ctx = { baseUrl, tally: new Tally(), eventId, pollMs: opts.pollMs, maxWaitSeconds: 60 };
  const started = performance.now();
  await launch(ctx, opts.warmup, 1, (i) => `warm-${id}-${i + 1}`, identitySecret);
  console.log(
    `warm-up: ${opts.warmup} users on event ${eventId}, ${ctx.tally.requests} requests in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s (not counted below)`,
  );
}

async function waitForDrain(http: Http, adminToken: string, eventId: number, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  let stats = await patiently("stats", () => fetchStats(http, adminToken, eventId), seconds);
  while (stats.queued > 0 && Date.now() < deadline) {
    await sleep(500);
    stats = await patiently("stats", () => fetchStats(http, adminToken, eventId), seconds);
  }
  return stats;
}

async function main(): Promise<number> {
  const opts = parseLoadArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(LOAD_USAGE);
    return 0;
  }
  // Before any child starts, so that the servers and redis-server inherit the limit.
  const { limit: files, warning } = fitUsers(Math.max(opts.vus, opts.warmup), "load");
  if (warning) console.warn(warning);
  const id = runId();
  let stack: Stack | undefined;
  let scratch: { url: string; stop(): Promise<void> } | undefined;
  const prefix = `load${id}`;
  let redisUrl = opts.redisUrl;
  if (!opts.url) {
    if (!redisUrl) {
      scratch = await startScratchRedis();
      redisUrl = scratch.url;
    }
    console.log(
      `preparing ${opts.databaseUrl.replace(/\/\/[^@]*@/, "//")} and starting the four servers on ` +
        `${scratch ? `a private redis-server at ${redisUrl}` : redisUrl}`,
    );
    await prepareDatabase(opts.databaseUrl);
    stack = await startStack({ redisUrl, databaseUrl: opts.databaseUrl, prefix }).catch(async (err) => {
      await scratch?.stop();
      throw err;
    });
  }
  const baseUrl = opts.url ?? stack?.routerUrl ?? "";
  const adminToken = stack?.adminToken ?? opts.adminToken;
  const identitySecret = stack?.identitySecret ?? opts.identitySecret;
  // The driver's own calls (admin API); every user has its own connection.
  const http = createHttp(baseUrl, 4);
  try {
    const eventId = await createEvent(http, adminToken, {
      name: `load ${id}`,
      stock: opts.stock,
      rpmThreshold: opts.rpmThreshold,
      runningCapacity: opts.runningCapacity,
      admitPerTick: opts.admitPerTick,
      admissionTtlSeconds: 300,
      openSeconds: opts.arrivalSeconds + opts.maxWaitSeconds + 3600,
    });
    if (opts.warmup > 0) await warmUp(http, baseUrl, adminToken, identitySecret, opts, id);
    const m = machine();
    const arrival = opts.arrival === "spread" ? `arriving over ${opts.arrivalSeconds}s` : "arriving at once";
    console.log(
      `event ${eventId} at ${baseUrl}: ${opts.vus} users ${arrival}, one connection each, stock ${opts.stock}, ` +
        `rpmThreshold ${opts.rpmThreshold}, poll ${opts.pollMs} ms`,
    );
    console.log(
      `machine: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${process.version}, ` +
        `open files ${files?.soft ?? "?"} per process`,
    );

    const watched = (stack?.servers ?? []).map((s) => ({
      name: s.name.replace(`${prefix}-`, ""),
      pid: s.child.pid,
    }));
    const rpid = stack && redisUrl ? await redisPid(redisUrl) : undefined;
    const cpu = watchCpu([
      ...watched,
      { name: "redis-server", pid: rpid },
      ...findPids(["mariadbd", "mysqld"]).map((pid) => ({ name: "mysql (shared)", pid })),
    ]);
    const overflowsBefore = listenOverflows();
    const { tally, seconds, launchMs } = await runScenario(baseUrl, opts, eventId, id, identitySecret);
    const overflows = listenOverflows() - overflowsBefore;
    const cpuRows = cpu.read();
    const machineBusy = cpu.machineBusy();

    const latency = latencyRows(tally, seconds);
    console.log(
      `\nscenario finished in ${seconds.toFixed(1)} s (the driver took ${launchMs.toFixed(0)} ms to start ` +
        "every user; each entry's latency includes opening its connection); the kernel refused " +
        `${overflows} connections for a full accept queue meanwhile (TcpExtListenOverflows, machine-wide)\n`,
    );
    console.log(formatTable(latency));
    const errorRate = tally.requests ? tally.errorCount / tally.requests : 0;
    console.log(
      `\nerrors: ${tally.errorCount} of ${tally.requests} requests (${fixed(100 * errorRate, 3)} %)`,
    );
    for (const sample of tally.samples) console.log(`  ${sample}`);
    const queue = summarize(tally.timeInQueue.values());
    console.log(
      `time in queue (${queue.count} users who queued): p50 ${ms(queue.p50)} ms, p95 ${ms(queue.p95)} ms, ` +
        `max ${ms(queue.max)} ms`,
    );
    const o = tally.outcomes;
    console.log(
      `users: ${opts.vus}, queued ${tally.queued}, admitted ${tally.admitted}; issued ${o.issued}, ` +
        `sold out ${o.sold_out}, already issued ${o.already_issued}, gave up ${o.gave_up}, failed ${o.error}`,
    );
    const ours = cpuRows.reduce((a, r) => a + r.percentOfCore, 0) / m.cpus;
    console.log(
      `\nCPU during the scenario: the machine was ${fixed(machineBusy, 0)} % busy, ${fixed(ours, 0)} % by the ` +
        `processes below (the rest: other users of this machine). Per process, % of one core of ${m.cpus}:`,
    );
    const serverSide = [...watched.map((w) => w.name), "redis-server"];
    const perRequest = cpuPerRequest(cpuRows, tally.requests, serverSide);
    console.log(
      formatTable([
        ...cpuRows.map((r) => ({
          process: r.name,
          "cpu s": fixed(r.seconds, 1),
          "% core": fixed(r.percentOfCore, 0),
          "µs / request": fixed(perRequest.byProcess[r.name] ?? Number.NaN, 0),
        })),
        {
          process: "rushgate: servers + redis",
          "cpu s": fixed(
            cpuRows.filter((r) => serverSide.includes(r.name)).reduce((a, r) => a + r.seconds, 0),
            1,
          ),
          "% core": "",
          "µs / request": fixed(perRequest.server, 0),
        },
      ]),
    );

    console.log(`\nwaiting up to ${opts.drainSeconds}s for the issuer to persist every coupon`);
    const drainStarted = performance.now();
    const stats = await waitForDrain(http, adminToken, eventId, opts.drainSeconds);
    console.log(
      `drained in ${((performance.now() - drainStarted) / 1000).toFixed(1)} s: ${JSON.stringify(stats)}`,
    );
    const checks: Check[] = await patiently("invariants", () =>
      checkInvariants({
        databaseUrl: opts.databaseUrl,
        eventId,
        stock: opts.stock,
        users: opts.vus,
        redisIssued: stats.issued,
        seen: tally.coupons,
      }),
    );
    checks.push(
      ...(await checkFairness(baseUrl, adminToken, eventId).catch((err: Error) => [
        { name: "fairness (admission log export)", ok: false, detail: err.message },
      ])),
    );
    checks.unshift({
      name: "drained (stats queued = 0)",
      ok: stats.queued === 0,
      detail: `queued ${stats.queued}, failed ${stats.failed}`,
    });
    console.log(
      `\nSPEC §5 invariants and the admission log's fairness (MySQL ${opts.databaseUrl.replace(/\/\/[^@]*@/, "//")}):`,
    );
    console.log(
      formatTable(checks.map((c) => ({ check: c.name, result: c.ok ? "ok" : "FAILED", detail: c.detail }))),
    );

    const file =
      opts.json ??
      join(ensureDir(join(repoRoot, "load-tests", "results")), `load-${opts.vus}-${Date.now()}.json`);
    const report = {
      at: new Date().toISOString(),
      options: { ...opts, adminToken: undefined, identitySecret: undefined },
      machine: m,
      eventId,
      seconds,
      latency,
      errors: { count: tally.errorCount, requests: tally.requests, rate: errorRate, samples: tally.samples },
      timeInQueue: queue,
      users: { queued: tally.queued, admitted: tally.admitted, ...tally.outcomes },
      cpu: cpuRows,
      cpuPerRequest: perRequest,
      launchMs,
      listenOverflows: overflows,
      openFiles: files,
      machineBusyPercent: machineBusy,
      stats,
      invariants: checks,
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nsummary written to ${file}`);
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0) console.error(`\n${failed.length} invariant(s) FAILED`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await http.close();
    if (stack) await stack.stop();
    if (scratch) await scratch.stop();
    else if (stack && redisUrl) await deletePrefix(redisUrl, prefix);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`load: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
