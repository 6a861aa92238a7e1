import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { cpuSeconds } from "../cpu";
import { createEvent, createHttp, createUser, QUEUE_ONLY_EVENT } from "../http";
import { identityHeaders } from "../identity";
import type { Spawned, Stack } from "../stack";
import { median } from "../stats";

/**
 * Waiting users held by server-sent events (GET /api/queue/:id/events) against the same users
 * polling GET /api/queue/:id/status every `pollMs`, side by side in one run. Everyone waits
 * (threshold 0, the bench's scheduler is off), each user on its own connection, and one newcomer
 * enters every 100 ms so that every waiter's status (`waiting`) changes on every stream tick: the
 * streams send a message per user per tick, their worst case. Measured over a window once every
 * user is polling or connected: server CPU (router + redis-server, /proc) per waiting user per
 * second, and the router's RSS per open stream (RSS with the streams open minus RSS before, in
 * the first round, on a router that has held no stream yet).
 */
export interface HoldRun {
  mode: "sse" | "poll";
  round: number;
  users: number;
  seconds: number;
  /** µs of CPU per waiting user per second, by process and in all. */
  cpu: { byProcess: Record<string, number>; server: number };
  /** Router RSS per open stream (bytes); NaN for polling. */
  rssPerStream: number;
  messages: number;
  errors: number;
  samples: string[];
}

interface Proc {
  name: string;
  pid: number | undefined;
}

export function rssBytes(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** One user's open stream: counts messages, notes how it ended. */
export function holdStream(url: string, headers: Record<string, string>) {
  let messages = 0;
  let failure: string | undefined;
  let closed = false;
  let resolveOpen: (ok: boolean) => void = () => {};
  const opened = new Promise<boolean>((r) => {
    resolveOpen = r;
  });
  const req = request(url, { headers: { accept: "text/event-stream", ...headers }, agent: false });
  req.on("error", (err) => {
    failure ??= `stream: ${err.message}`;
    resolveOpen(false);
  });
  req.on("response", (res) => {
    if (res.statusCode !== 200) {
      failure = `stream: ${res.statusCode}`;
      res.resume();
      resolveOpen(false);
      return;
    }
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      for (let i = chunk.indexOf("data:"); i >= 0; i = chunk.indexOf("data:", i + 5)) messages += 1;
      resolveOpen(true);
    });
    res.on("close", () => {
      if (!closed) failure ??= "stream: closed by the server";
    });
  });
  req.end();
  return {
    opened,
    messages: () => messages,
    failure: () => failure,
    close() {
      closed = true;
      req.destroy();
    },
  };
}

/** Enters `users` users (setup, through a shared pool: not measured). */
export async function enterAll(stack: Stack, eventId: number, ids: Record<string, string>[]) {
  const http = createHttp(stack.routerUrl, 64);
  let next = 0;
  const failed: string[] = [];
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < ids.length) {
        const headers = ids[next++] as Record<string, string>;
        const res = await http.call("POST", `/api/events/${eventId}/entry`, headers);
        if (res.status !== 202 && failed.length < 5) failed.push(`entry: ${res.status}`);
      }
    }),
  );
  await http.close();
  if (failed.length > 0) throw new Error(`streams bench: entries failed (${failed.join(", ")})`);
}

/** A newcomer every 100 ms until stopped, so every waiter's `waiting` keeps changing. */
function trickle(stack: Stack, eventId: number, secret: string, prefix: string) {
  const http = createHttp(stack.routerUrl, 1);
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      await http.call("POST", `/api/events/${eventId}/entry`, identityHeaders(secret, `${prefix}-${i}`));
      await sleep(100);
    }
    await http.close();
  })();
  return async () => {
    stop = true;
    await done;
  };
}

function cpuOver(processes: Proc[]) {
  const before = processes.map((p) => (p.pid === undefined ? Number.NaN : cpuSeconds(p.pid)));
  return () =>
    processes.map((p, i) => ({ name: p.name, seconds: cpuSeconds(p.pid ?? -1) - (before[i] ?? 0) }));
}

async function holdOnce(options: {
  mode: "sse" | "poll";
  round: number;
  stack: Stack;
  eventId: number;
  processes: Proc[];
  routerPid: number | undefined;
  ids: Record<string, string>[];
  seconds: number;
  pollMs: number;
  secret: string;
}): Promise<HoldRun> {
  const { mode, stack, eventId, ids } = options;
  const samples: string[] = [];
  let errors = 0;
  const wrong = (what: string) => {
    errors += 1;
    if (samples.length < 5) samples.push(what);
  };
  const stopTrickle = trickle(stack, eventId, options.secret, `bt-${mode}-${options.round}`);
  const rssBefore = rssBytes(options.routerPid);
  let measure: () => { name: string; seconds: number }[] = () => [];
  let rssOpen = Number.NaN;
  let messages = 0;
  const started = { at: 0 };
  if (mode === "sse") {
    const url = `${stack.routerUrl}/api/queue/${eventId}/events`;
    const streams = ids.map((h) => holdStream(url, h));
    await Promise.all(streams.map((s) => s.opened));
    await sleep(1000); // every stream past its first message
    rssOpen = rssBytes(options.routerPid);
    const counted = streams.reduce((a, s) => a + s.messages(), 0);
    measure = cpuOver(options.processes);
    started.at = performance.now();
    await sleep(options.seconds * 1000);
    const rows = measure();
    messages = streams.reduce((a, s) => a + s.messages(), 0) - counted;
    for (const s of streams) {
      const f = s.failure();
      if (f) wrong(f);
      s.close();
    }
    await stopTrickle();
    return result(rows, (performance.now() - started.at) / 1000);
  }
  let polling = true;
  const users = ids.map(async (h) => {
    const http = createUser(stack.routerUrl);
    try {
      while (polling) {
        const s = await http.call("GET", `/api/queue/${eventId}/status`, h);
        if (s.status !== 200) wrong(`status: ${s.status} ${s.error ?? JSON.stringify(s.body)}`);
        else messages += 1;
        await sleep(options.pollMs);
      }
    } finally {
      await http.close();
    }
  });
  await sleep(1000); // every user polling
  measure = cpuOver(options.processes);
  started.at = performance.now();
  await sleep(options.seconds * 1000);
  const rows = measure();
  const seconds = (performance.now() - started.at) / 1000;
  polling = false;
  await Promise.all(users);
  await stopTrickle();
  return result(rows, seconds);

  function result(rows: { name: string; seconds: number }[], seconds: number): HoldRun {
    const per = (s: number) => (s * 1e6) / (ids.length * seconds);
    const byProcess = Object.fromEntries(rows.map((r) => [r.name, per(r.seconds)]));
    return {
      mode,
      round: options.round,
      users: ids.length,
      seconds,
      cpu: { byProcess, server: per(rows.reduce((a, r) => a + r.seconds, 0)) },
      rssPerStream: mode === "sse" ? (rssOpen - rssBefore) / ids.length : Number.NaN,
      messages,
      errors,
      samples,
    };
  }
}

export interface StreamsResult {
  users: number;
  seconds: number;
  pollMs: number;
  runs: HoldRun[];
  medians: {
    mode: "sse" | "poll";
    cpuPerUserSecond: number;
    messagesPerUserSecond: number;
    cpuAtFullRate: number;
    rssPerStream: number;
    errors: number;
    byProcess: Record<string, number>;
  }[];
}

/** Rounds of polling and streaming, alternating which goes first; medians per mode. */
export async function measureStreams(options: {
  stack: Stack;
  processes: Proc[];
  routerPid: number | undefined;
  users: number;
  seconds: number;
  rounds: number;
  pollMs: number;
  runId: string;
  log: (line: string) => void;
}): Promise<StreamsResult> {
  const { stack, log } = options;
  const admin = createHttp(stack.routerUrl, 2);
  const eventId = await createEvent(admin, stack.adminToken, { ...QUEUE_ONLY_EVENT, name: "bench streams" });
  await admin.close();
  const ids = Array.from({ length: options.users }, (_, i) =>
    identityHeaders(stack.identitySecret, `bs-${options.runId}-${i}`),
  );
  log(`streams: ${options.users} waiting users enter`);
  await enterAll(stack, eventId, ids);
  const runs: HoldRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // Streams first in the first round: their RSS is measured on a router that has held nothing yet.
    const order: ("sse" | "poll")[] = round % 2 === 1 ? ["sse", "poll"] : ["poll", "sse"];
    for (const mode of order) {
      const run = await holdOnce({ ...options, mode, round, eventId, ids, secret: stack.identitySecret });
      runs.push(run);
      log(
        `streams: round ${round} ${mode}: ${run.cpu.server.toFixed(1)} µs CPU / user / s, ` +
          `${run.messages} messages (${(run.messages / (run.users * run.seconds)).toFixed(2)} / user / s), ` +
          `${run.errors} errors` +
          (mode === "sse" ? `, ${(run.rssPerStream / 1024).toFixed(1)} KiB RSS / stream` : ""),
      );
    }
  }
  const medians = (["sse", "poll"] as const).map((mode) => {
    const mine = runs.filter((r) => r.mode === mode);
    const byProcess: Record<string, number> = {};
    for (const name of Object.keys(mine[0]?.cpu.byProcess ?? {}))
      byProcess[name] = median(mine.map((r) => r.cpu.byProcess[name] ?? Number.NaN));
    return {
      mode,
      cpuPerUserSecond: median(mine.map((r) => r.cpu.server)),
      // Polls (or messages) each user actually got per second: a busy machine polls slower.
      messagesPerUserSecond: median(mine.map((r) => r.messages / (r.users * r.seconds))),
      // Polling: the CPU of one poll times the polls a user makes per second when every answer
      // is instant (1000 / pollMs), since a loaded machine answers slower and so is polled less.
      cpuAtFullRate: median(
        mine.map((r) =>
          mode === "poll"
            ? (r.cpu.server * r.users * r.seconds * 1000) / (r.messages * options.pollMs)
            : r.cpu.server,
        ),
      ),
      // Later rounds reuse the memory the first one took from the system (RSS does not shrink).
      rssPerStream: mine[0]?.rssPerStream ?? Number.NaN,
      errors: mine.reduce((a, r) => a + r.errors, 0),
      byProcess,
    };
  });
  return { users: options.users, seconds: options.seconds, pollMs: options.pollMs, runs, medians };
}

/** Streams per router process and per driver process: the open-files limit is per process. */
export const STREAMS_PER_PROCESS = 9_000;

interface Shard {
  child: ChildProcess;
  next<T>(): Promise<T>;
}

function forkShard(url: string, secret: string, userIds: string[]): Shard {
  const script = fileURLToPath(new URL("./hold-worker.js", import.meta.url));
  const child = fork(script, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  child.send({ url, secret, userIds });
  return {
    child,
    next: <T>() =>
      new Promise<T>((resolve, reject) => {
        child.once("message", (m) => resolve(m as T));
        child.once("exit", (code) => reject(new Error(`hold worker exited with ${code}`)));
      }),
  };
}

/**
 * Holds `users` streams open for `seconds` (no churn): whether they all open and stay open, the
 * routers' RSS per stream and their CPU meanwhile. One process holds at most
 * STREAMS_PER_PROCESS sockets (the hard open-files limit here is 20,000 per process), so the
 * streams are spread over as many routers — the stack's and more of the same, as `INSTANCES`
 * runs them — and as many driver processes, one shard each.
 */
export async function holdStreams(options: {
  stack: Stack;
  redisPid: number | undefined;
  users: number;
  seconds: number;
  runId: string;
  log: (line: string) => void;
}) {
  const { stack, log } = options;
  const shards = Math.ceil(options.users / STREAMS_PER_PROCESS);
  const first = stack.servers.find((s) => s.name.endsWith("-router"));
  const coupon = stack.servers.find((s) => s.name.endsWith("-coupon"));
  if (!first || !coupon) throw new Error("hold: the stack has no router or coupon server");
  const extra: Spawned[] = [];
  for (let i = 1; i < shards; i++)
    extra.push(
      await stack.spawnServer("router", {
        COUPON_URL: coupon.url,
        RATE_LIMIT_IP_PER_SEC: "0",
        IDENTITY_SECRET: stack.identitySecret,
      }),
    );
  const routers = [first, ...extra];
  try {
    const admin = createHttp(stack.routerUrl, 2);
    const eventId = await createEvent(admin, stack.adminToken, { ...QUEUE_ONLY_EVENT, name: "bench hold" });
    await admin.close();
    const userIds = Array.from({ length: options.users }, (_, i) => `bh-${options.runId}-${i}`);
    log(`hold: ${options.users} users enter`);
    await enterAll(
      stack,
      eventId,
      userIds.map((u) => identityHeaders(stack.identitySecret, u)),
    );
    const rssBefore = routers.map((r) => rssBytes(r.child.pid));
    log(`hold: opening ${options.users} streams, one connection each, over ${shards} router(s)`);
    const openedAt = performance.now();
    const size = Math.ceil(options.users / shards);
    const workers = routers.map((r, i) =>
      forkShard(
        `${r.url}/api/queue/${eventId}/events`,
        stack.identitySecret,
        userIds.slice(i * size, (i + 1) * size),
      ),
    );
    const opened = await Promise.all(workers.map((w) => w.next<{ opened: number }>()));
    const open = opened.reduce((a, o) => a + o.opened, 0);
    const openSeconds = (performance.now() - openedAt) / 1000;
    log(`hold: ${open} open after ${openSeconds.toFixed(1)} s; holding ${options.seconds} s`);
    const processes = [
      ...routers.map((r, i) => ({ name: `router-${i + 1}`, pid: r.child.pid })),
      { name: "redis-server", pid: options.redisPid },
    ];
    const measure = cpuOver(processes);
    const started = performance.now();
    await sleep(options.seconds * 1000);
    const rows = measure();
    const seconds = (performance.now() - started) / 1000;
    const rssOpen = routers.map((r) => rssBytes(r.child.pid));
    for (const w of workers) w.child.send("stop");
    const done = await Promise.all(workers.map((w) => w.next<{ errors: number; samples: string[] }>()));
    const errors = done.reduce((a, d) => a + d.errors, 0);
    const grown = rssOpen.reduce((a, v, i) => a + v - (rssBefore[i] ?? 0), 0);
    return {
      users: options.users,
      routers: routers.length,
      seconds,
      openSeconds,
      open,
      errors,
      samples: [...new Set(done.flatMap((d) => d.samples))].slice(0, 5),
      rssPerStream: grown / options.users,
      routerRssMiB: rssOpen.map((v) => v / 2 ** 20),
      cpuPercentOfCore: Object.fromEntries(rows.map((r) => [r.name, (100 * r.seconds) / seconds])),
    };
  } finally {
    for (const r of extra) await r.stop();
  }
}

export type HoldResult = Awaited<ReturnType<typeof holdStreams>>;
