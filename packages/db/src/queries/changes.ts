import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { couponEvents, type ScheduledChange, scheduledChanges } from "../schema";

export type ChangeSettings = Record<string, number | null>;

/**
 * Inserts the steps of a schedule in one transaction, one row each: a multi-row INSERT's ids are
 * not consecutive under MySQL 8's default interleaved auto-increment, so each id is its own.
 */
export async function insertChanges(
  db: Db,
  params: { eventId: number; changes: { at: number; set: ChangeSettings }[] },
): Promise<ScheduledChange[]> {
  const ids = await db.transaction(async (tx) => {
    const out: number[] = [];
    for (const c of params.changes) {
      const [result] = await tx
        .insert(scheduledChanges)
        .values({ eventId: params.eventId, applyAt: new Date(c.at), settings: JSON.stringify(c.set) });
      out.push(result.insertId);
    }
    return out;
  });
  const rows = await db.select().from(scheduledChanges).where(inArray(scheduledChanges.id, ids));
  return rows.sort((a, b) => a.applyAt.getTime() - b.applyAt.getTime() || a.id - b.id);
}

export async function deleteChanges(db: Db, params: { ids: number[] }): Promise<void> {
  if (params.ids.length > 0)
    await db.delete(scheduledChanges).where(inArray(scheduledChanges.id, params.ids));
}

export async function listChanges(
  db: Db,
  params: { eventId: number; limit?: number },
): Promise<ScheduledChange[]> {
  return db
    .select()
    .from(scheduledChanges)
    .where(eq(scheduledChanges.eventId, params.eventId))
    .orderBy(asc(scheduledChanges.applyAt), asc(scheduledChanges.id))
    .limit(params.limit ?? 5_000);
}

export async function listPendingChanges(db: Db, params: { eventId: number }): Promise<ScheduledChange[]> {
  return db
    .select()
    .from(scheduledChanges)
    .where(and(eq(scheduledChanges.eventId, params.eventId), eq(scheduledChanges.state, "scheduled")))
    .orderBy(asc(scheduledChanges.applyAt), asc(scheduledChanges.id));
}

export async function findChange(db: Db, params: { id: number }): Promise<ScheduledChange | undefined> {
  const [row] = await db.select().from(scheduledChanges).where(eq(scheduledChanges.id, params.id)).limit(1);
  return row;
}

export async function cancelChangeRow(db: Db, params: { id: number }): Promise<void> {
  await db
    .update(scheduledChanges)
    .set({ state: "cancelled" })
    .where(and(eq(scheduledChanges.id, params.id), eq(scheduledChanges.state, "scheduled")));
}

/**
 * The write-back of changes Redis has applied: each row is marked applied at its time, and the
 * event's settings become those of the live meta (which already include every applied change and
 * any later live update), in one transaction.
 */
export async function recordAppliedChanges(
  db: Db,
  params: {
    eventId: number;
    applied: { id: number; appliedAt: number }[];
    settings: { rpmThreshold: number | null; admitPerTick: number; runningCapacity: number };
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const a of params.applied) {
      await tx
        .update(scheduledChanges)
        .set({ state: "applied", appliedAt: new Date(a.appliedAt) })
        .where(and(eq(scheduledChanges.id, a.id), eq(scheduledChanges.state, "scheduled")));
    }
    await tx.update(couponEvents).set(params.settings).where(eq(couponEvents.id, params.eventId));
  });
}

export async function updateEventSettings(
  db: Db,
  params: {
    eventId: number;
    settings: Partial<{ rpmThreshold: number | null; admitPerTick: number; runningCapacity: number }>;
  },
): Promise<void> {
  await db.update(couponEvents).set(params.settings).where(eq(couponEvents.id, params.eventId));
}
