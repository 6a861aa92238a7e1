import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  freePort,
  type RedisFixture,
  TEST_ADMIN_TOKEN,
  TEST_ADMISSION_SECRET,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  useRedis,
} from "@rushgate/testing";
import { createClient } from "../client";

const root = fileURLToPath(new URL("../../../", import.meta.url));

export type ServerName = "router" | "waiting-room" | "coupon" | "issuer";

interface Proc {
  name: ServerName;
  port: number;
  metricsPort: number;
  env: Record<string, string>;
  child?: ChildProcess;
  output: string[];
}

/**
 * The four servers as real processes from their production bundles (servers/<name>/dist), so
 * that faults are real: kill -9, SIGTERM, restarts on the same port. Extra waiting rooms can be
 * added to test the scheduler lease (the router then talks to the first), or `instances` of every
 * server (each router balancing over all waiting rooms and coupon servers). Keys are the server
 * name for the first instance and `<name>-2`, `<name>-3`… for the others.
 */
export async function startStack(
  options: { env?: Record<string, string>; waitingRooms?: number; instances?: number } = {},
) {
  for (const name of ["router", "waiting-room", "coupon", "issuer"]) {
    if (!existsSync(`${root}servers/${name}/dist/index.js`)) {
      throw new Error(`servers/${name}/dist is missing: run \`pnpm build\` first (the test command does)`);
    }
  }
  const fx: RedisFixture = await useRedis();
  const common: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: fx.prefix,
    DATABASE_URL: TEST_DATABASE_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ADMISSION_SECRET: TEST_ADMISSION_SECRET,
    SCHEDULER_TICK_MS: "100",
    ISSUER_LOCK_MS: "2000",
    RECONCILE_INTERVAL_MS: "1000",
    RECONCILE_MIN_AGE_MS: "2000",
    RATE_LIMIT_USER_PER_SEC: "0",
    RATE_LIMIT_IP_PER_SEC: "0",
    ...options.env,
  };
  const procs = new Map<string, Proc>();
  const add = async (key: string, name: ServerName, env: Record<string, string> = {}) => {
    const proc: Proc = {
      name,
      port: await freePort(),
      metricsPort: await freePort(),
      env: { ...common, ...env },
      output: [],
    };
    procs.set(key, proc);
    return proc;
  };
  const n = Math.max(1, options.instances ?? 1);
  const key = (name: ServerName, i: number) => (i === 0 ? name : `${name}-${i + 1}`);
  const rooms = Math.max(n, options.waitingRooms ?? 1);
  for (let i = 0; i < rooms; i++) await add(key("waiting-room", i), "waiting-room");
  for (const name of ["coupon", "issuer"] as const) for (let i = 0; i < n; i++) await add(key(name, i), name);
  const urls = (name: ServerName, count: number) =>
    Array.from({ length: count }, (_, i) => `http://127.0.0.1:${procs.get(key(name, i))?.port}`).join(",");
  for (let i = 0; i < n; i++) {
    const routerProc = await add(key("router", i), "router");
    routerProc.env.COUPON_URL = urls("coupon", n);
  }

  async function start(key: string): Promise<void> {
    const proc = procs.get(key);
    if (!proc) throw new Error(`no server ${key}`);
    const child = spawn(process.execPath, [`${root}servers/${proc.name}/dist/index.js`], {
      env: { ...proc.env, PORT: String(proc.port), METRICS_PORT: String(proc.metricsPort) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        proc.output.push(chunk.toString());
        if (proc.output.length > 200) proc.output.shift();
      });
    }
    proc.child = child;
    await waitReady(proc);
  }

  async function waitReady(proc: Proc) {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (proc.child?.exitCode !== null) throw new Error(`${proc.name} exited: ${proc.output.join("")}`);
      try {
        if ((await fetch(`http://127.0.0.1:${proc.port}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${proc.name} not ready: ${proc.output.join("")}`);
  }

  /** Sends a signal and resolves when the process has exited. */
  async function kill(key: string, signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    const child = procs.get(key)?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  const routers = [...procs.keys()].filter((k) => procs.get(k)?.name === "router");
  for (const k of procs.keys()) if (!routers.includes(k)) await start(k);
  for (const k of routers) await start(k);

  const url = (key: string) => `http://127.0.0.1:${procs.get(key)?.port}`;
  return {
    ...fx,
    url: url("router"),
    serverUrl: url,
    /** Where a server answers GET /metrics (its own port, not the public one). */
    metricsUrl: (key: string) => `http://127.0.0.1:${procs.get(key)?.metricsPort}`,
    client: createClient(url("router")),
    pid: (key: string) => procs.get(key)?.child?.pid,
    output: (key: string) => procs.get(key)?.output.join("") ?? "",
    start,
    kill,
    async close() {
      await Promise.all([...procs.keys()].map((key) => kill(key, "SIGKILL")));
      await fx.cleanup();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
