import { type Db, recordAppliedChanges, updateEventSettings } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import { appliedChanges, type Keys, parseMeta, type RedisClient } from "@rushgate/redis";
import { listKeptEvents } from "./retention";

/**
 * How MySQL learns that a scheduled change applied (issue 13): the waiting room has no MySQL, so
 * apply-changes-7.lua records each applied change in the event's `changes:applied` hash, and this
 * loop writes them back — the rows become `applied` at Redis's time and the event's row takes the
 * live meta's settings — then removes them from the hash. Idempotent, so every issuer may run it.
 */
async function liveSettings(redis: RedisClient, metaKey: string) {
  const meta = parseMeta(await redis.hgetall(metaKey));
  if (!meta) return null;
  return {
    rpmThreshold: meta.rpmThreshold,
    admitPerTick: meta.admitPerTick,
    runningCapacity: meta.runningCapacity,
  };
}

export async function writeBackChanges(deps: { redis: RedisClient; keys: Keys; db: Db }): Promise<number> {
  const events = await listKeptEvents(deps.redis, deps.keys);
  const applied = await Promise.all(
    events.map((e) => appliedChanges(deps.redis, deps.keys.event(e.eventId))),
  );
  let written = 0;
  for (const [i, { eventId }] of events.entries()) {
    const done = applied[i];
    if (!done || done.size === 0) continue;
    const k = deps.keys.event(eventId);
    const settings = await liveSettings(deps.redis, k.meta);
    if (!settings) continue;
    await recordAppliedChanges(deps.db, {
      eventId,
      applied: [...done].map(([id, appliedAt]) => ({ id, appliedAt })),
      settings,
    });
    // A live update (PATCH writes the meta, then MySQL) may have come between the read and the
    // write: read again until what MySQL holds is what the meta says.
    for (let last = settings, tries = 0; tries < 5; tries++) {
      const now = await liveSettings(deps.redis, k.meta);
      if (!now || JSON.stringify(now) === JSON.stringify(last)) break;
      await updateEventSettings(deps.db, { eventId, settings: now });
      last = now;
    }
    await deps.redis.hdel(k.changesApplied, ...[...done.keys()].map(String));
    written += done.size;
  }
  return written;
}

export function startChangeWriteBack(deps: {
  redis: RedisClient;
  keys: Keys;
  db: Db;
  log: Logger;
  intervalMs: number;
}) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inflight: Promise<void> | undefined;
  const loop = () => {
    inflight = writeBackChanges(deps)
      .then((n) => {
        if (n > 0) deps.log.info({ changes: n }, "applied changes written to MySQL");
      })
      .catch((err) => deps.log.warn({ err }, "change write-back failed; retrying"))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, deps.intervalMs);
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inflight;
    },
  };
}
