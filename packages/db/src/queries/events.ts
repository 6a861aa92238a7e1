import { asc, count, eq, gt, max } from "drizzle-orm";
import type { Db } from "../client";
import { type CouponEvent, couponEvents, type NewCouponEvent } from "../schema";

export async function insertEvent(db: Db, values: NewCouponEvent): Promise<CouponEvent> {
  const [result] = await db.insert(couponEvents).values(values);
  const row = await findEvent(db, { id: result.insertId });
  if (!row) throw new Error(`event ${result.insertId} vanished after insert`);
  return row;
}

export async function findEvent(db: Db, params: { id: number }): Promise<CouponEvent | undefined> {
  const [row] = await db.select().from(couponEvents).where(eq(couponEvents.id, params.id)).limit(1);
  return row;
}

/**
 * How many events there are and the highest id, in one query. Ids only grow, so an id above
 * `maxId` is unknown without a lookup of its own.
 */
export async function eventTotals(db: Db): Promise<{ count: number; maxId: number }> {
  const [row] = await db.select({ count: count(), maxId: max(couponEvents.id) }).from(couponEvents);
  return { count: Number(row?.count ?? 0), maxId: Number(row?.maxId ?? 0) };
}

/** Open and upcoming events, soonest first. */
export async function listActiveEvents(
  db: Db,
  params: { now: Date; limit?: number },
): Promise<CouponEvent[]> {
  return db
    .select()
    .from(couponEvents)
    .where(gt(couponEvents.endsAt, params.now))
    .orderBy(asc(couponEvents.startsAt), asc(couponEvents.id))
    .limit(params.limit ?? 100);
}

/** The operator's kill switches of one event (issue 13.1); false when there is no such event. */
export async function updateEventSwitches(
  db: Db,
  params: { id: number; paused: boolean; queueAll: boolean; entryClosed: boolean },
): Promise<boolean> {
  const { id, ...switches } = params;
  const [result] = await db.update(couponEvents).set(switches).where(eq(couponEvents.id, id));
  return result.affectedRows > 0;
}

/** "End now": the event ends at `endsAt` (Redis's clock, as Redis got it too). */
export async function endEventAt(db: Db, params: { id: number; endsAt: Date }): Promise<boolean> {
  const [result] = await db
    .update(couponEvents)
    .set({ endsAt: params.endsAt })
    .where(eq(couponEvents.id, params.id));
  return result.affectedRows > 0;
}
