import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Open-file limits. Every simulated user holds its own socket, and so does the server that
 * accepted it: at 15,000 users the driver and the router each need 15,000 descriptors (the limit
 * is per process). Node raises its soft limit to the hard one at start; only root can raise the
 * hard one, which `prlimit` does here for this process, so that the servers and redis-server it
 * spawns afterwards inherit it.
 */
export interface FileLimit {
  soft: number;
  hard: number;
}

/** The "Max open files" line of /proc/<pid>/limits ("unlimited" as Infinity). */
export function parseFileLimit(limits: string): FileLimit | undefined {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  const value = (s: string) => (s === "unlimited" ? Number.POSITIVE_INFINITY : Number(s));
  return { soft: value(m[1] as string), hard: value(m[2] as string) };
}

export function fileLimit(): FileLimit | undefined {
  try {
    return parseFileLimit(readFileSync("/proc/self/limits", "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Descriptors one process needs for `users` users talking to `origins` origins each (2 when the
 * entry answer's pollUrl names another one: a connection to each), plus room for logs, Redis,
 * MySQL and upstream pools.
 */
export function filesNeeded(users: number, origins = 1): number {
  return origins * users + 2048;
}

/**
 * Raises the limit for `users` (room for two origins each when it can), and says what it means:
 * an error when even one connection per user does not fit, a warning when two would not.
 */
export function fitUsers(users: number, what: string): { limit: FileLimit | undefined; warning?: string } {
  const limit = raiseFileLimit(filesNeeded(users, 2));
  if (!limit || limit.soft >= filesNeeded(users, 2)) return { limit };
  const most = (origins: number) => Math.floor((limit.soft - 2048) / origins);
  const fixes =
    "raise the hard limit (ulimit -n, limits.conf; prlimit here needs CAP_SYS_RESOURCE) or use fewer users";
  if (limit.soft < filesNeeded(users)) {
    throw new Error(
      `${what}: ${users} users need about ${filesNeeded(users)} open files in one process (a socket per ` +
        `user), but the limit is ${limit.soft} (hard ${limit.hard}), enough for ${most(1)}: ${fixes}`,
    );
  }
  return {
    limit,
    warning:
      `open files ${limit.soft} (hard ${limit.hard}): enough for ${most(1)} users polling where they ` +
      `enter, ${most(2)} if entry answers send polls to another origin (a second connection each)`,
  };
}

/**
 * Raises this process's open-file limit to at least `wanted` when it is lower (prlimit, as root),
 * and returns the limit now in force. Never lowers it.
 */
export function raiseFileLimit(wanted: number): FileLimit | undefined {
  const now = fileLimit();
  if (!now || now.soft >= wanted) return now;
  const hard = Math.max(now.hard, wanted);
  const text = (n: number) => (Number.isFinite(n) ? String(n) : "unlimited");
  // As root: soft and hard to `wanted`; otherwise the soft limit as far as the hard one goes.
  for (const [soft, max] of [
    [wanted, hard],
    [now.hard, now.hard],
  ] as const) {
    const run = spawnSync("prlimit", ["--pid", String(process.pid), `--nofile=${text(soft)}:${text(max)}`]);
    if (run.status === 0) break;
  }
  return fileLimit();
}
