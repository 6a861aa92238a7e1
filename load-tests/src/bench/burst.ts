import { setTimeout as sleep } from "node:timers/promises";
import { cpuPerRequest, cpuSeconds, listenOverflows } from "../cpu";
import { createUser, pollTarget } from "../http";
import { identityHeaders } from "../identity";
import { median, Samples, type Summary, summarize } from "../stats";

/**
 * The burst of SPEC §8 against one target: `users` users arrive at the same instant, each with
 * its own keep-alive connection; each enters once, then polls its status `polls` times, `pollMs`
 * apart, where the entry answer says (pollTarget). Every answer but 202/200 on entry and 200 on
 * status is an error; a user whose entry failed stops there. Every user sends a signed identity
 * token (X-Identity-Token, minted before the clock starts; the floor and the hop ignore or pass
 * it on, so all targets receive the same bytes). CPU is read from /proc for the target's
 * processes around the burst.
 */
export interface BurstTarget {
  name: string;
  url: string;
  eventId: number;
  /** The target's processes (and its Redis), whose CPU the burst costs. */
  processes: { name: string; pid: number | undefined }[];
}

export interface BurstRun {
  target: string;
  round: number;
  users: number;
  requests: number;
  errors: number;
  seconds: number;
  /** How long the driver's loop took to start every user. */
  launchMs: number;
  /** Connections the kernel refused for a full accept queue meanwhile (machine-wide). */
  listenOverflows: number;
  latency: { all: Summary; entry: Summary; status: Summary };
  /** CPU µs per request by process, and summed over the target's processes. */
  cpu: { byProcess: Record<string, number>; server: number; driver: number };
  samples: string[];
}

export async function burstOnce(
  target: BurstTarget,
  options: {
    users: number;
    polls: number;
    pollMs: number;
    round: number;
    userPrefix: string;
    identitySecret: string;
  },
): Promise<BurstRun> {
  const entry = new Samples();
  const status = new Samples();
  const samples: string[] = [];
  let errors = 0;
  const wrong = (what: string) => {
    errors += 1;
    if (samples.length < 5) samples.push(what);
  };

  const identities = Array.from({ length: options.users }, (_, i) =>
    identityHeaders(options.identitySecret, `${options.userPrefix}-${i}`),
  );

  async function user(i: number): Promise<void> {
    const http = createUser(target.url);
    const headers = identities[i] ?? {};
    try {
      const e = await http.call("POST", `/api/events/${target.eventId}/entry`, headers);
      entry.push(e.ms);
      if (e.status !== 202 && e.status !== 200) {
        // Never entered: its polls would only be told not_in_queue. One error, not six.
        wrong(`entry: ${e.status} ${e.error ?? JSON.stringify(e.body)}`);
        return;
      }
      const at = pollTarget(e.body, target.eventId);
      for (let p = 0; p < options.polls; p++) {
        await sleep(options.pollMs);
        const s = await http.call("GET", at, headers);
        status.push(s.ms);
        if (s.status !== 200) wrong(`status: ${s.status} ${s.error ?? JSON.stringify(s.body)}`);
      }
    } finally {
      await http.close();
    }
  }

  const before = target.processes.map((p) => (p.pid === undefined ? Number.NaN : cpuSeconds(p.pid)));
  const self = process.cpuUsage();
  const overflowsBefore = listenOverflows();
  const started = performance.now();
  const running = Array.from({ length: options.users }, (_, i) => user(i));
  const launchMs = performance.now() - started;
  await Promise.all(running);
  const seconds = (performance.now() - started) / 1000;
  const overflows = listenOverflows() - overflowsBefore;
  const own = process.cpuUsage(self);
  const rows = target.processes.map((p, i) => ({
    name: p.name,
    seconds: (p.pid === undefined ? Number.NaN : cpuSeconds(p.pid)) - (before[i] ?? Number.NaN),
  }));
  const requests = entry.length + status.length;
  const cpu = cpuPerRequest(
    rows,
    requests,
    rows.map((r) => r.name),
  );
  const all = new Float64Array(requests);
  all.set(entry.values());
  all.set(status.values(), entry.length);
  return {
    target: target.name,
    round: options.round,
    users: options.users,
    requests,
    errors,
    seconds,
    launchMs,
    listenOverflows: overflows,
    latency: { all: summarize(all), entry: summarize(entry.values()), status: summarize(status.values()) },
    cpu: { ...cpu, driver: (own.user + own.system) / requests },
    samples,
  };
}

/** Medians over a target's rounds, of the figures the burst compares. */
export interface BurstMedians {
  target: string;
  rounds: number;
  errors: number;
  cpuPerRequest: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  listenOverflows: number;
  byProcess: Record<string, number>;
}

export function burstMedians(runs: BurstRun[], target: string): BurstMedians {
  const mine = runs.filter((r) => r.target === target);
  const m = (f: (r: BurstRun) => number) => median(mine.map(f));
  const byProcess: Record<string, number> = {};
  for (const name of Object.keys(mine[0]?.cpu.byProcess ?? {})) {
    byProcess[name] = m((r) => r.cpu.byProcess[name] ?? Number.NaN);
  }
  return {
    target,
    rounds: mine.length,
    errors: mine.reduce((a, r) => a + r.errors, 0),
    cpuPerRequest: m((r) => r.cpu.server),
    mean: m((r) => r.latency.all.mean),
    p50: m((r) => r.latency.all.p50),
    p95: m((r) => r.latency.all.p95),
    p99: m((r) => r.latency.all.p99),
    max: m((r) => r.latency.all.max),
    listenOverflows: m((r) => r.listenOverflows),
    byProcess,
  };
}

/** `a` over `b` for the compared figures: how many times the floor each costs. */
export function burstRatios(a: BurstMedians, b: BurstMedians) {
  return {
    cpuPerRequest: a.cpuPerRequest / b.cpuPerRequest,
    mean: a.mean / b.mean,
    p95: a.p95 / b.p95,
    max: a.max / b.max,
  };
}

/**
 * Rounds of the burst against every target, alternating which goes first from one round to the
 * next (so none always meets a warmer or busier machine), after one small unmeasured burst per
 * target to warm it up.
 */
export async function measureBurst(options: {
  targets: BurstTarget[];
  users: number;
  polls: number;
  pollMs: number;
  rounds: number;
  runId: string;
  /** Signs every user's identity token (the rushgate router's IDENTITY_SECRET). */
  identitySecret: string;
  log: (line: string) => void;
}) {
  const { targets, log } = options;
  const base = { polls: options.polls, pollMs: options.pollMs, identitySecret: options.identitySecret };
  log(`burst: warming up ${targets.map((t) => t.name).join(", ")}`);
  for (const t of targets) {
    await burstOnce(t, {
      ...base,
      users: Math.min(500, options.users),
      round: 0,
      userPrefix: `bw-${options.runId}`,
    });
  }
  const runs: BurstRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const shift = (round - 1) % targets.length;
    const order = [...targets.slice(shift), ...targets.slice(0, shift)];
    for (const t of order) {
      const r = await burstOnce(t, {
        ...base,
        users: options.users,
        round,
        userPrefix: `b${round}-${options.runId}`,
      });
      runs.push(r);
      log(
        `burst round ${round}/${options.rounds}: ${t.name.padEnd(8)} ${options.users} users, ${r.requests} requests, ` +
          `${r.errors} errors; CPU ${r.cpu.server.toFixed(0)} µs/request; latency mean ${r.latency.all.mean.toFixed(1)} ms ` +
          `p95 ${r.latency.all.p95.toFixed(1)} ms max ${r.latency.all.max.toFixed(0)} ms; ` +
          `${r.listenOverflows} listen overflows` +
          (r.samples.length ? `  e.g. ${r.samples[0]}` : ""),
      );
    }
  }
  const medians = targets.map((t) => burstMedians(runs, t.name));
  return { users: options.users, polls: options.polls, pollMs: options.pollMs, runs, medians };
}

export type BurstResult = Awaited<ReturnType<typeof measureBurst>>;
