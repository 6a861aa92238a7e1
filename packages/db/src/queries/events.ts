import { asc, eq, gt } from "drizzle-orm";
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
