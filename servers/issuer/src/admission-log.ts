import { LOG_KINDS, type LogKind } from "@rushgate/api";
import { type Db, insertAdmissionLog, type NewAdmissionLogRow } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import { drainStream, type Keys, type RedisClient, type StreamRecord } from "@rushgate/redis";
import { listKeptEvents } from "./retention";

export interface LogDrainDeps {
  redis: RedisClient;
  keys: Keys;
  db: Db;
  log: Logger;
}

/** One record of lua/includes/log.lua as a row of admission_log. */
export function logRow(eventId: number, record: StreamRecord): NewAdmissionLogRow {
  const [ms, n] = record.id.split("-");
  const { k, u, s, t, m } = record.fields;
  if (!LOG_KINDS.includes(k as LogKind)) throw new Error(`unknown admission log kind "${k}" in ${record.id}`);
  return {
    eventId,
    streamMs: Number(ms),
    streamSeq: Number(n),
    kind: k as LogKind,
    userId: u ?? "",
    seq: s ? Number(s) : null,
    at: new Date(Number(t)),
    mode: m || null,
  };
}

/** Moves one event's admission log from Redis into MySQL (idempotent, see drainStream). */
export async function drainEventLog(deps: LogDrainDeps, eventId: number): Promise<number> {
  return drainStream(deps.redis, deps.keys.event(eventId).log, (records) =>
    insertAdmissionLog(
      deps.db,
      records.map((r) => logRow(eventId, r)),
    ),
  );
}

/** Every kept event's log, one after the other. */
export async function drainAdmissionLogs(deps: LogDrainDeps): Promise<number> {
  let total = 0;
  for (const { eventId } of await listKeptEvents(deps.redis, deps.keys))
    total += await drainEventLog(deps, eventId);
  return total;
}

/** Drains every `intervalMs`; a failed pass (MySQL away) is retried on the next one. */
export function startLogDrainer(deps: LogDrainDeps & { intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const run = () => {
    running = drainAdmissionLogs(deps)
      .catch((err) => deps.log.warn({ err }, "admission log drain failed"))
      .finally(() => {
        running = undefined;
        if (timer) timer = setTimeout(run, deps.intervalMs);
      });
  };
  timer = setTimeout(run, deps.intervalMs);
  return {
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
