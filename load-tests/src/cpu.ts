import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of processes on this machine, from /proc (Linux), so a report can say which process
 * used the cores: on a 2-core machine the driver itself is one of the loads.
 */
const CLOCK_TICKS = 100;

/** User + system CPU seconds of a process so far; NaN when it cannot be read. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Pids whose command name is one of `names` (e.g. mariadbd). */
export function findPids(names: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, "utf8").trim())) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  try {
    const fields =
      readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

export interface CpuWatch {
  /** Per process: CPU seconds used since the watch began, and that as % of one core. */
  read(): { name: string; seconds: number; percentOfCore: number }[];
  /** Share of the whole machine's CPU time that was busy, whoever used it (0-100). */
  machineBusy(): number;
}

export function watchCpu(processes: { name: string; pid: number | undefined }[]): CpuWatch {
  const started = performance.now();
  const self = process.cpuUsage();
  const before = processes.map((p) => (p.pid === undefined ? Number.NaN : cpuSeconds(p.pid)));
  const machineBefore = machineJiffies();
  return {
    machineBusy() {
      const now = machineJiffies();
      return (100 * (now.busy - machineBefore.busy)) / (now.total - machineBefore.total);
    },
    read() {
      const wall = (performance.now() - started) / 1000;
      const own = process.cpuUsage(self);
      const rows = [{ name: "driver (this process)", seconds: (own.user + own.system) / 1e6 }];
      processes.forEach((p, i) => {
        const now = p.pid === undefined ? Number.NaN : cpuSeconds(p.pid);
        rows.push({ name: p.name, seconds: now - (before[i] ?? Number.NaN) });
      });
      return rows
        .filter((r) => Number.isFinite(r.seconds))
        .map((r) => ({ ...r, percentOfCore: (100 * r.seconds) / wall }));
    },
  };
}

export interface CpuPerRequest {
  /** CPU µs per request of each process. */
  byProcess: Record<string, number>;
  /** Their sum over `serverSide` (the target's processes and its Redis; not the driver). */
  server: number;
}

/** CPU seconds of a run spread over its requests, per process and summed over the server side. */
export function cpuPerRequest(
  rows: { name: string; seconds: number }[],
  requests: number,
  serverSide: readonly string[],
): CpuPerRequest {
  const byProcess: Record<string, number> = {};
  let server = 0;
  for (const r of rows) {
    const micros = requests > 0 ? (r.seconds * 1e6) / requests : Number.NaN;
    byProcess[r.name] = micros;
    if (serverSide.includes(r.name)) server += micros;
  }
  return { byProcess, server };
}

/**
 * The kernel's count of connections refused because a listen queue was full
 * (`TcpExtListenOverflows` in /proc/net/netstat, machine-wide); NaN when unreadable.
 */
export function listenOverflows(): number {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8").split("\n");
    for (let i = 0; i + 1 < lines.length; i++) {
      const names = lines[i]?.split(" ") ?? [];
      if (names[0] !== "TcpExt:") continue;
      const values = lines[i + 1]?.split(" ") ?? [];
      const at = names.indexOf("ListenOverflows");
      return at > 0 ? Number(values[at]) : Number.NaN;
    }
  } catch {
    // not Linux
  }
  return Number.NaN;
}
