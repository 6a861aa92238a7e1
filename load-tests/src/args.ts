import { parseArgs } from "node:util";
import { DEV_IDENTITY_SECRET } from "./identity";

export const ARRIVALS = ["all-at-once", "spread"] as const;
export type Arrival = (typeof ARRIVALS)[number];

/** Options of `pnpm load`: the k6 rush scenario (load-tests/k6/rush.js) run by a Node driver. */
export interface LoadOptions {
  vus: number;
  stock: number;
  pollMs: number;
  rpmThreshold: number;
  /** all-at-once: every user sends its entry at the same instant (SPEC §8); spread: evenly. */
  arrival: Arrival;
  /** The spread window (0 with all-at-once). */
  arrivalSeconds: number;
  runningCapacity: number;
  admitPerTick: number;
  maxWaitSeconds: number;
  drainSeconds: number;
  /** Users of a throwaway rush run first to warm the servers up (JIT); 0 to skip. */
  warmup: number;
  /** An already-running router; unset: the driver starts its own stack. */
  url: string | undefined;
  adminToken: string;
  /** IDENTITY_SECRET of that router, to sign each user's identity token. */
  identitySecret: string;
  databaseUrl: string;
  /** Redis of the started stack; unset: a private redis-server, so its CPU is ours alone. */
  redisUrl: string | undefined;
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
  burstUsers: number;
  burstRounds: number;
  burstPolls: number;
  burstPollMs: number;
  streamUsers: number;
  streamSeconds: number;
  streamRounds: number;
  holdStreams: number;
  holdSeconds: number;
  only: string[];
  profile: boolean;
  databaseUrl: string;
  json: string | undefined;
  help: boolean;
}

export const BENCH_PHASES = ["burst", "throughput", "round-trips", "streams", "drain", "tick"] as const;

export const LOAD_USAGE = `pnpm load -- [options]

Runs the rush scenario of SPEC §8 (load-tests/k6/rush.js): VUS users, each with its own
keep-alive connection, arrive at the same instant, enter, poll their queue status every POLL ms
while waiting, issue once admitted, and stop on issued, sold_out or already_issued. Then it waits
for the issuer to drain and checks SPEC §5 in MySQL. Reports latency per endpoint and the CPU
each server process (and Redis) used per request.

  --vus N               users, one connection each (default 4500; the open-files limit is raised
                        to fit, see docs/PERFORMANCE.md)
  --stock N             coupons (default 1000)
  --poll-ms N           status poll interval while waiting (default 300)
  --rpm-threshold N     the event's own threshold (default 600)
  --arrival MODE        all-at-once (default: the published test) or spread
  --arrival-seconds N   with --arrival spread: arrivals spread evenly over this window (default 5)
  --running-capacity N  event setting (default 1000)
  --admit-per-tick N    event setting (default 200)
  --max-wait-seconds N  a user gives up after this long (default 600)
  --drain-seconds N     how long to wait for the issuer to persist everything (default 120)
  --warmup N            users of a throwaway rush on another event first, to warm the servers up
                        (default 1000 with a stack of its own, 0 with --url)
  --url URL             target a running router instead of starting a stack (start that router with
                        RATE_LIMIT_IP_PER_SEC=0: every simulated user comes from this one machine)
  --admin-token T       admin token of that router (default dev-admin-token)
  --identity-secret S   IDENTITY_SECRET of that router: every user sends X-Identity-Token signed
                        with it (default $IDENTITY_SECRET, else the router's development default)
  --database-url URL    MySQL checked at the end (default mysql://root@127.0.0.1:3306/rushgate_load,
                        or .../rushgate with --url)
  --redis-url URL       Redis for the started stack (default: a private redis-server on a free
                        port, so that its CPU per request is this run's alone)
  --json FILE           also write the summary as JSON (default load-tests/results/load-<vus>-<time>.json)
`;

export const BENCH_USAGE = `pnpm bench -- [options]

Measures, side by side in one run on a private redis-server: a burst of users arriving at once
against rushgate, a bare node:http floor, a two-process forwarder and the floor plus one Redis
call per request; router vs a bare two-hop hono
baseline (status and issue throughput), Redis round trips per request, issuer drain rate vs a
no-op BullMQ worker, and one scheduler tick with 100,000 people waiting.

  --burst-users N       users arriving at once in a burst, one connection each (default 4500)
  --burst-rounds N      burst rounds per target, alternating targets; medians (default 3)
  --burst-polls N       status polls per user after its entry (default 5)
  --burst-poll-ms N     time between a user's polls (default 300)
  --stream-users N      waiting users held by event streams vs polling every 300 ms (default 2000)
  --stream-seconds N    measured seconds of each hold (default 10)
  --stream-rounds N     rounds of each, alternating which goes first; medians (default 3)
  --hold-streams N      also open N streams (one connection each) and hold them (default 0: off;
                        20000 is the target: the open-files limit is raised to fit)
  --hold-seconds N      how long to hold them (default 30)
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
      arrival: str,
      "arrival-seconds": str,
      "running-capacity": str,
      "admit-per-tick": str,
      "max-wait-seconds": str,
      "drain-seconds": str,
      warmup: str,
      url: str,
      "admin-token": str,
      "identity-secret": str,
      "database-url": str,
      "redis-url": str,
      json: str,
      help: { type: "boolean", short: "h" },
    },
  });
  const url = values.url === undefined ? undefined : urlOption("url", values.url, "", /^https?:$/);
  const defaultDb = `mysql://root@127.0.0.1:3306/${url ? "rushgate" : "rushgate_load"}`;
  const arrival = values.arrival ?? "all-at-once";
  if (!(ARRIVALS as readonly string[]).includes(arrival)) {
    throw new Error(`--arrival ${arrival}: expected ${ARRIVALS.join(" or ")}`);
  }
  if (arrival === "all-at-once" && values["arrival-seconds"] !== undefined) {
    throw new Error("--arrival-seconds applies to --arrival spread only");
  }
  return {
    vus: intOption("vus", values.vus, 4500, 1),
    stock: intOption("stock", values.stock, 1000, 1),
    pollMs: intOption("poll-ms", values["poll-ms"], 300, 1),
    rpmThreshold: intOption("rpm-threshold", values["rpm-threshold"], 600, 0),
    arrival: arrival as Arrival,
    arrivalSeconds: arrival === "spread" ? intOption("arrival-seconds", values["arrival-seconds"], 5, 0) : 0,
    runningCapacity: intOption("running-capacity", values["running-capacity"], 1000, 1),
    admitPerTick: intOption("admit-per-tick", values["admit-per-tick"], 200, 1),
    maxWaitSeconds: intOption("max-wait-seconds", values["max-wait-seconds"], 600, 1),
    drainSeconds: intOption("drain-seconds", values["drain-seconds"], 120, 0),
    warmup: intOption("warmup", values.warmup, url ? 0 : 1000, 0),
    url,
    adminToken: values["admin-token"] ?? "dev-admin-token",
    identitySecret: values["identity-secret"] ?? (process.env.IDENTITY_SECRET || DEV_IDENTITY_SECRET),
    databaseUrl: urlOption("database-url", values["database-url"], defaultDb, /^mysql:$/),
    redisUrl:
      values["redis-url"] === undefined
        ? undefined
        : urlOption("redis-url", values["redis-url"], "", /^rediss?:$/),
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
      "burst-users": str,
      "burst-rounds": str,
      "burst-polls": str,
      "burst-poll-ms": str,
      "stream-users": str,
      "stream-seconds": str,
      "stream-rounds": str,
      "hold-streams": str,
      "hold-seconds": str,
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
    burstUsers: intOption("burst-users", values["burst-users"], 4500, 1),
    burstRounds: intOption("burst-rounds", values["burst-rounds"], 3, 1),
    burstPolls: intOption("burst-polls", values["burst-polls"], 5, 0),
    burstPollMs: intOption("burst-poll-ms", values["burst-poll-ms"], 300, 1),
    streamUsers: intOption("stream-users", values["stream-users"], 2000, 1),
    streamSeconds: intOption("stream-seconds", values["stream-seconds"], 10, 1),
    streamRounds: intOption("stream-rounds", values["stream-rounds"], 3, 1),
    holdStreams: intOption("hold-streams", values["hold-streams"], 0, 0),
    holdSeconds: intOption("hold-seconds", values["hold-seconds"], 30, 1),
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
