import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { createRedis } from "@rushgate/redis";

/** What the figures were taken on, for the reports. */
export function machine() {
  let cpuModel = "unknown";
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    cpus: availableParallelism(),
    cpuModel,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** The pid of the redis-server behind a URL (INFO server), when it runs on this machine. */
export async function redisPid(url: string): Promise<number | undefined> {
  const redis = createRedis(url, { name: "rushgate-load-probe" });
  try {
    const info = await redis.info("server");
    const pid = /^process_id:(\d+)/m.exec(info)?.[1];
    return pid ? Number(pid) : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
