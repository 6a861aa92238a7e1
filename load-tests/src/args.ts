import { parseArgs } from "node:util";

/** Options of `pnpm load`: the k6 rush scenario (load-tests/k6/rush.js) run by a Node driver. */
export interface LoadOptions {
  vus: number;
  stock: number;
  pollMs: number;
  rpmThreshold: number;
  arrivalSeconds: number;
  runningCapacity: number;
  admitPerTick: number;
  maxWaitSeconds: number;
  drainSeconds: number;
  connections: number;
  /** Users of a throwaway rush run first to warm the servers up (JIT); 0 to skip. */
  warmup: number;
  /** An already-running router; unset: the driver starts its own stack. */
  url: string | undefined;
  adminToken: string;
  databaseUrl: string;
  redisUrl: string;
  json: string | undefined;
  help: boolean;
}

export interface BenchOptions {
  rounds: number;
  roundSeconds: number;
  concurrency: number;
  drainJobs: number;
  drainRounds: number;
  tickWaiting: number;
  ticks: number;
  only: string[];
  profile: boolean;
  databaseUrl: string;
  json: string | undefined;
  help: boolean;
}

export const BENCH_PHASES = ["throughput", "round-trips", "drain", "tick"] as const;

export const LOAD_USAGE = `pnpm load -- [options]

Runs the rush scenario of load-tests/k6/rush.js: VUS users arrive over ARRIVAL seconds, enter,
poll their queue status every POLL ms while waiting, issue once admitted, and stop on issued,
sold_out or already_issued. Then it waits for the issuer to drain and checks SPEC §5 in MySQL.

  --vus N               users (default 4500)
  --stock N             coupons (default 1000)
  --poll-ms N           status poll interval while waiting (default 300)
  --rpm-threshold N     the event's own threshold (default 600)
  --arrival-seconds N   arrivals spread evenly over this window (default 5)
  --running-capacity N  event setting (default 1000)
  --admit-per-tick N    event setting (default 200)
  --max-wait-seconds N  a user gives up after this long (default 600)
  --drain-seconds N     how long to wait for the issuer to persist everything (default 120)
  --connections N       HTTP connections of the driver's one undici pool (default 512)
  --warmup N            users of a throwaway rush on another event first, to warm the servers up
                        (default 1000 with a stack of its own, 0 with --url)
  --url URL             target a running router instead of starting a stack (start that router with
                        RATE_LIMIT_IP_PER_SEC=0: every simulated user comes from this one machine)
  --admin-token T       admin token of that router (default dev-admin-token)
  --database-url URL    MySQL checked at the end (default mysql://root@127.0.0.1:3306/rushgate_load,
                        or .../rushgate with --url)
  --redis-url URL       Redis for the started stack (default redis://127.0.0.1:6379)
  --json FILE           also write the summary as JSON (default load-tests/results/load-<vus>-<time>.json)
`;

export const BENCH_USAGE = `pnpm bench -- [options]

Measures, side by side in one run on a private redis-server: router vs a bare two-hop hono
baseline (status and issue throughput), Redis round trips per request, issuer drain rate vs a
no-op BullMQ worker, and one scheduler tick with 100,000 people waiting.

  --rounds N            rounds per throughput comparison; medians are reported (default 5)
  --round-seconds N     length of one throughput round (default 5)
  --concurrency N       requests in flight in the throughput loops (default 64)
  --drain-jobs N        jobs per drain round (default 50000)
  --drain-rounds N      rounds of each drain (default 3)
  --tick-waiting N      people waiting for the tick measurement (default 100000)
  --ticks N             measured ticks (default 50)
  --only a,b            phases to run: ${BENCH_PHASES.join(", ")} (default all)
  --profile             run the servers under node --cpu-prof (profiles in load-tests/results/profiles)
  --database-url URL    MySQL for the drain (default mysql://root@127.0.0.1:3306/rushgate_load)
  --json FILE           where to write the results (default load-tests/results/bench-<time>.json)
`;

/** `pnpm load -- --vus 10` hands the script a leading "--", which parseArgs would take as the end. */
function withoutSeparator(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}

export function intOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < min) {
    throw new Error(`--${name} ${raw}: expected an integer >= ${min}`);
  }
  return value;
}

function urlOption(name: string, raw: string | undefined, fallback: string, scheme: RegExp): string {
  const value = raw ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`--${name} ${value}: not a URL`);
  }
  if (!scheme.test(parsed.protocol)) throw new Error(`--${name} ${value}: expected ${scheme.source} URL`);
  return value.replace(/\/+$/, "");
}

const str = { type: "string" } as const;

export function parseLoadArgs(argv: string[]): LoadOptions {
  const { values } = parseArgs({
    args: withoutSeparator(argv),
    strict: true,
    allowPositionals: false,
    options: {
      vus: str,
      stock: str,
      "poll-ms": str,
      "rpm-threshold": str,
      "arrival-seconds": str,
      "running-capacity": str,
      "admit-per-tick": str,
      "max-wait-seconds": str,
      "drain-seconds": str,
      connections: str,
      warmup: str,
      url: str,
      "admin-token": str,
      "database-url": str,
      "redis-url": str,
      json: str,
      help: { type: "boolean", short: "h" },
    },
  });
  const url = values.url === undefined ? undefined : urlOption("url", values.url, "", /^https?:$/);
  const defaultDb = `mysql://root@127.0.0.1:3306/${url ? "rushgate" : "rushgate_load"}`;
  return {
    vus: intOption("vus", values.vus, 4500, 1),
    stock: intOption("stock", values.stock, 1000, 1),
    pollMs: intOption("poll-ms", values["poll-ms"], 300, 1),
    rpmThreshold: intOption("rpm-threshold", values["rpm-threshold"], 600, 0),
    arrivalSeconds: intOption("arrival-seconds", values["arrival-seconds"], 5, 0),
    runningCapacity: intOption("running-capacity", values["running-capacity"], 1000, 1),
    admitPerTick: intOption("admit-per-tick", values["admit-per-tick"], 200, 1),
    maxWaitSeconds: intOption("max-wait-seconds", values["max-wait-seconds"], 600, 1),
    drainSeconds: intOption("drain-seconds", values["drain-seconds"], 120, 0),
    connections: intOption("connections", values.connections, 512, 1),
    warmup: intOption("warmup", values.warmup, url ? 0 : 1000, 0),
    url,
    adminToken: values["admin-token"] ?? "dev-admin-token",
    databaseUrl: urlOption("database-url", values["database-url"], defaultDb, /^mysql:$/),
    redisUrl: urlOption("redis-url", values["redis-url"], "redis://127.0.0.1:6379", /^rediss?:$/),
    json: values.json,
    help: values.help ?? false,
  };
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: withoutSeparator(argv),
    strict: true,
    allowPositionals: false,
    options: {
      rounds: str,
      "round-seconds": str,
      concurrency: str,
      "drain-jobs": str,
      "drain-rounds": str,
      "tick-waiting": str,
      ticks: str,
      only: str,
      profile: { type: "boolean" },
      "database-url": str,
      json: str,
      help: { type: "boolean", short: "h" },
    },
  });
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...BENCH_PHASES];
  for (const phase of only) {
    if (!(BENCH_PHASES as readonly string[]).includes(phase)) {
      throw new Error(`--only ${values.only}: unknown phase "${phase}" (phases: ${BENCH_PHASES.join(", ")})`);
    }
  }
  return {
    rounds: intOption("rounds", values.rounds, 5, 1),
    roundSeconds: intOption("round-seconds", values["round-seconds"], 5, 1),
    concurrency: intOption("concurrency", values.concurrency, 64, 1),
    drainJobs: intOption("drain-jobs", values["drain-jobs"], 50_000, 1),
    drainRounds: intOption("drain-rounds", values["drain-rounds"], 3, 1),
    tickWaiting: intOption("tick-waiting", values["tick-waiting"], 100_000, 1),
    ticks: intOption("ticks", values.ticks, 50, 1),
    only,
    profile: values.profile ?? false,
    databaseUrl: urlOption(
      "database-url",
      values["database-url"],
      "mysql://root@127.0.0.1:3306/rushgate_load",
      /^mysql:$/,
    ),
    json: values.json,
    help: values.help ?? false,
  };
}
