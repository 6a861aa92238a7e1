import type { ChangeView, SettingValues } from "@rushgate/api";
import { listPendingChanges, type ScheduledChange } from "@rushgate/db";
import { addChanges, appliedChanges } from "@rushgate/redis";
import type { WarmDeps } from "./events";

/**
 * Scheduled changes, the coupon server's side: MySQL holds the schedule (the record of truth) and
 * Redis a copy of the pending ones plus the applied state, which the issuer writes back to MySQL
 * (servers/issuer/src/changes.ts). Until it has, a change applied in Redis is shown as applied.
 */
export function changeView(row: ScheduledChange, appliedInRedis?: number): ChangeView {
  const applied = row.state === "scheduled" && appliedInRedis !== undefined;
  return {
    id: row.id,
    at: row.applyAt.toISOString(),
    set: JSON.parse(row.settings) as SettingValues,
    state: applied ? "applied" : row.state,
    appliedAt: applied ? new Date(appliedInRedis).toISOString() : (row.appliedAt?.toISOString() ?? null),
  };
}

/** Views of rows with Redis's applied state laid over MySQL's. */
export async function changeViews(
  deps: WarmDeps,
  eventId: number,
  rows: ScheduledChange[],
): Promise<ChangeView[]> {
  const applied = await appliedChanges(deps.redis, deps.keys.event(eventId));
  return rows.map((row) => changeView(row, applied.get(row.id)));
}

/**
 * After Redis lost an event and it was warmed from MySQL: the changes MySQL still has as
 * scheduled go back to Redis. One applied in Redis but not yet written back applies again; it
 * sets the same values, in the same order.
 */
export async function restorePendingChanges(deps: WarmDeps, eventId: number): Promise<void> {
  const rows = await listPendingChanges(deps.db, { eventId });
  await addChanges(
    deps.redis,
    deps.keys.event(eventId),
    rows.map((r) => ({ id: r.id, at: r.applyAt.getTime(), set: JSON.parse(r.settings) as SettingValues })),
  );
}
