import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKeys, createRedis, type Keys, type RedisClient } from "@rushgate/redis";
import { Cluster, type Redis } from "ioredis";
import { TEST_REDIS_URL, uniquePrefix } from "./env";

export interface RedisFixture {
  redis: RedisClient;
  keys: Keys;
  prefix: string;
  /** Deletes every key of this prefix (BullMQ's included) and disconnects. */
  cleanup(): Promise<void>;
}

export async function useRedis(
  url = TEST_REDIS_URL,
  options: { clusterNodes?: string[] } = {},
): Promise<RedisFixture> {
  const prefix = uniquePrefix();
  const redis = createRedis(url, { name: `test-${prefix}`, clusterNodes: options.clusterNodes });
  const keys = createKeys(prefix);
  return {
    redis,
    keys,
    prefix,
    async cleanup() {
      // On a cluster every master holds some of the keys: scan each one.
      const nodes: Redis[] = redis instanceof Cluster ? redis.nodes("master") : [redis];
      for (const node of nodes) {
        for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
          let cursor = "0";
          do {
            const [next, found] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
            cursor = next;
            for (const key of found) await redis.unlink(key);
          } while (cursor !== "0");
        }
      }
      redis.disconnect();
    },
  };
}

/**
 * A real Redis Cluster of three masters from the local redis-server binary on free ports
 * (`cluster-enabled yes`, then `redis-cli --cluster create`), for tests that must prove the
 * hash tags hold.
 */
export async function startRedisCluster(): Promise<{ nodes: string[]; url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "rushgate-cluster-"));
  const ports = [];
  for (let i = 0; i < 3; i++) ports.push(await freePort({ clusterBus: true }));
  const children = ports.map((port) =>
    spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${port}.conf`,
        "--cluster-node-timeout",
        "2000",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
      ],
      { stdio: "ignore" },
    ),
  );
  const nodes = ports.map((port) => `127.0.0.1:${port}`);
  for (const port of ports) await waitForRedis(`redis://127.0.0.1:${port}`);
  // A join that cannot complete would wait for ever: fail in seconds instead, with the reason.
  execFileSync("redis-cli", ["--cluster", "create", ...nodes, "--cluster-replicas", "0", "--cluster-yes"], {
    stdio: "ignore",
    timeout: 30_000,
  });
  for (const port of ports) {
    const probe = createRedis(`redis://127.0.0.1:${port}`);
    try {
      for (let i = 0; !/cluster_state:ok/.test(String(await probe.cluster("INFO"))); i++) {
        if (i > 100) throw new Error("the cluster did not come up");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      probe.disconnect();
    }
  }
  return {
    nodes,
    url: `redis://${nodes[0]}`,
    async stop() {
      for (const child of children) child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForRedis(url: string) {
  const probe = createRedis(url, { name: "probe" });
  probe.on("error", () => {}); // refused until the server listens: expected, retried below
  try {
    for (let i = 0; ; i++) {
      try {
        await probe.ping();
        return;
      } catch (err) {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    probe.disconnect();
  }
}

const handedOut = new Set<number>();

/** Whether nothing listens on the port now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port for a server a test starts in another process. Taken below the kernel's ephemeral range
 * (32768–60999 by default), because a port the kernel handed out once (listen on 0) can be given
 * to an outgoing connection (a Redis or MySQL client) before the server binds it — seen as
 * EADDRINUSE in CI. Never the same port twice in one process. `clusterBus`: a Redis Cluster node
 * also listens on port + 10,000 (its bus), so that one must be free and below the range too.
 */
export async function freePort(options: { clusterBus?: boolean } = {}): Promise<number> {
  const span = options.clusterBus ? 2_000 : 12_000;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * span);
    const bus = port + 10_000;
    if (handedOut.has(port) || !(await canListen(port))) continue;
    if (options.clusterBus && (handedOut.has(bus) || !(await canListen(bus)))) continue;
    handedOut.add(port);
    if (options.clusterBus) handedOut.add(bus);
    return port;
  }
  throw new Error("no free port below the ephemeral range");
}

/**
 * A private redis-server on a free port, for tests that read server-wide statistics (INFO
 * commandstats) and must not count other tests' commands.
 */
export async function startScratchRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitForRedis(url);
  return {
    url,
    async stop() {
      child.kill("SIGKILL");
    },
  };
}

/** Total calls per command from INFO commandstats, e.g. { evalsha: 10, get: 3 }. */
export async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info("commandstats");
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls[match[1] as string] = Number(match[2]);
  return calls;
}

/** Commands run between two commandstats readings, without the INFO calls that read them. */
export function callDelta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [cmd, n] of Object.entries(after)) {
    const d = n - (before[cmd] ?? 0);
    if (d > 0 && cmd !== "info") delta[cmd] = d;
  }
  return delta;
}

export function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}

/**
 * Counts the commands clients send (round trips: a script call is one, the commands it runs
 * inside are reported by MONITOR with source "lua" and not counted) while `run` executes.
 */
export async function countRoundTrips(
  redis: Redis,
  run: () => Promise<void>,
): Promise<{ total: number; byCommand: Record<string, number> }> {
  const monitor = await redis.monitor();
  const byCommand: Record<string, number> = {};
  const marker = `end-of-measure-${Math.random()}`;
  let seenMarker: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    seenMarker = resolve;
  });
  let finished = false;
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    if (finished) return;
    if (args[1] === marker) {
      finished = true;
      return seenMarker();
    }
    if (source === "lua") return;
    const name = String(args[0]).toLowerCase();
    byCommand[name] = (byCommand[name] ?? 0) + 1;
  });
  try {
    await run();
    await redis.echo(marker);
    await done;
  } finally {
    monitor.disconnect();
  }
  return { total: sum(byCommand), byCommand };
}
