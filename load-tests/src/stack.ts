import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "@rushgate/api";
import { createDb, ensureDatabase, runMigrations } from "@rushgate/db";
import { createRedis } from "@rushgate/redis";
import { freePort } from "@rushgate/testing";

/** The repository root, seen from load-tests/dist/*.js (and from load-tests/src/*.ts). */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export type ServerName = "router" | "waiting-room" | "coupon" | "issuer";

export interface Spawned {
  name: string;
  child: ChildProcess;
  port: number;
  url: string;
  /** Where its `GET /metrics` answers (METRICS_PORT, a free port of its own). */
  metricsUrl: string;
  /** Sends SIGTERM (a graceful close), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** A short random id for this run: the Redis prefix, user ids and event names carry it. */
export function runId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/**
 * Retries `fn` for up to `seconds` while it throws: MySQL on a shared machine may be restarting
 * (another engineer's outage test), and a load run should wait for it rather than fail.
 */
export async function patiently<T>(what: string, fn: () => Promise<T>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      console.warn(`${what}: ${(err as Error).message}; retrying`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Creates the database when missing and applies the committed migrations (copied into dist). */
export async function prepareDatabase(url: string): Promise<void> {
  await patiently("database", () => ensureDatabase(url));
  const database = createDb(url, { connectionLimit: 1 });
  try {
    await runMigrations(database.db, fileURLToPath(new URL("./drizzle", import.meta.url)));
  } finally {
    await database.close();
  }
}

let logDir: string | undefined;

/** Where server output goes (a temporary folder: the logs matter only when something failed). */
export function serverLogDir(): string {
  logDir ??= mkdtempSync(join(tmpdir(), "rushgate-load-"));
  return logDir;
}

/**
 * Starts one Node program as a child process on a free port (and its metrics on another: the
 * servers' default, PORT + 1000, may be taken) and waits until `readyPath` answers 200. Its
 * stdout and stderr go to `<serverLogDir>/<name>.log`.
 */
export async function spawnNode(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  args?: string[];
  nodeArgs?: string[];
  readyPath?: string;
}): Promise<Spawned> {
  const port = await freePort();
  const metricsPort = await freePort();
  const log = createWriteStream(join(serverLogDir(), `${options.name}.log`), { flags: "a" });
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])],
    {
      env: {
        PATH: process.env.PATH ?? "",
        ...options.env,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const spawned: Spawned = {
    name: options.name,
    child,
    port,
    url,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${options.name} exited with ${child.exitCode} at start; see ${serverLogDir()}`);
    }
    try {
      const res = await fetch(`${url}${options.readyPath ?? "/readyz"}`);
      if (res.ok) return spawned;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await spawned.stop();
      throw new Error(`${options.name} was not ready within 30 s; see ${serverLogDir()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface StackOptions {
  redisUrl: string;
  databaseUrl: string;
  prefix: string;
  issuer?: boolean;
  schedulerEnabled?: boolean;
  /** Extra Node flags for every server, e.g. --cpu-prof. */
  nodeArgs?: string[];
  logLevel?: string;
}

export interface Stack {
  routerUrl: string;
  adminToken: string;
  admissionSecret: string;
  /** The router's IDENTITY_SECRET: users carry identity tokens signed with it (./identity). */
  identitySecret: string;
  prefix: string;
  servers: Spawned[];
  /** Starts one more server of the stack (the bench starts the issuer on its own). */
  spawnServer(name: ServerName, extraEnv?: Record<string, string>): Promise<Spawned>;
  stop(): Promise<void>;
}

/**
 * The four built servers (servers/<name>/dist/index.js) as child processes on free ports, with a
 * unique REDIS_PREFIX, production settings and strong random secrets (identity from signed
 * tokens only, as in production).
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const adminToken = randomBytes(24).toString("base64url");
  const admissionSecret = randomBytes(24).toString("base64url");
  const identitySecret = randomBytes(32).toString("base64url");
  const common: Record<string, string> = {
    NODE_ENV: "production",
    LOG_LEVEL: options.logLevel ?? "warn",
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    DATABASE_URL: options.databaseUrl,
    ADMIN_TOKEN: adminToken,
    ADMISSION_SECRET: admissionSecret,
  };
  const servers: Spawned[] = [];
  const spawnServer = async (name: ServerName, extraEnv: Record<string, string> = {}) => {
    const spawned = await spawnNode({
      name: `${options.prefix}-${name}`,
      script: join(repoRoot, "servers", name, "dist", "index.js"),
      env: { ...common, ...extraEnv },
      nodeArgs: [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? [])],
    });
    servers.push(spawned);
    return spawned;
  };
  const stop = async () => {
    // The router first, so nothing new reaches the servers behind it while they close.
    for (const s of [...servers].reverse()) await s.stop();
  };
  try {
    await spawnServer("waiting-room", {
      SCHEDULER_ENABLED: String(options.schedulerEnabled ?? true),
    });
    const coupon = await spawnServer("coupon");
    if (options.issuer ?? true) await spawnServer("issuer");
    const router = await spawnServer("router", {
      COUPON_URL: coupon.url,
      // Every simulated user comes from this one machine: the per-IP limit would throttle them all
      // together. The per-user limit stays as deployed.
      RATE_LIMIT_IP_PER_SEC: "0",
      IDENTITY_SECRET: identitySecret,
    });
    return {
      routerUrl: router.url,
      adminToken,
      admissionSecret,
      identitySecret,
      prefix: options.prefix,
      servers,
      spawnServer,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Deletes every key of a prefix (BullMQ's `{prefix:bull}` ones included). */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = createRedis(redisUrl, { name: "rushgate-load-cleanup" });
  let deleted = 0;
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
      let cursor = "0";
      do {
        const [next, found] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        cursor = next;
        if (found.length > 0) deleted += await redis.unlink(...found);
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
