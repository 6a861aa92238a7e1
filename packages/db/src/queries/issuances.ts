import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type CouponIssuance, couponIssuances, type NewCouponIssuance } from "../schema";

/**
 * One multi-row insert; rows already present (a retried job, a reconciled one) are left as they
 * are. ON DUPLICATE KEY UPDATE of a column to itself is a no-op, and unlike INSERT IGNORE it does
 * not hide other errors such as truncation.
 */
export async function insertIssuances(db: Db, rows: NewCouponIssuance[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(couponIssuances)
    .values(rows)
    .onDuplicateKeyUpdate({ set: { couponId: sql`coupon_id` } });
}

export async function countIssuances(db: Db, params: { eventId: number }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(couponIssuances)
    .where(eq(couponIssuances.eventId, params.eventId));
  return row?.n ?? 0;
}

/** Which of these users already have a row for the event. */
export async function findPersistedUsers(
  db: Db,
  params: { eventId: number; userIds: string[] },
): Promise<Set<string>> {
  if (params.userIds.length === 0) return new Set();
  const rows = await db
    .select({ userId: couponIssuances.userId })
    .from(couponIssuances)
    .where(and(eq(couponIssuances.eventId, params.eventId), inArray(couponIssuances.userId, params.userIds)));
  return new Set(rows.map((r) => r.userId));
}

export async function listUserIssuances(
  db: Db,
  params: { userId: string; limit?: number },
): Promise<CouponIssuance[]> {
  return db
    .select()
    .from(couponIssuances)
    .where(eq(couponIssuances.userId, params.userId))
    .orderBy(desc(couponIssuances.issuedAt))
    .limit(params.limit ?? 200);
}

/** Every row of one event, for warming Redis's issued set after Redis lost it. */
export async function listEventIssuances(
  db: Db,
  params: { eventId: number; afterId: number; limit: number },
): Promise<CouponIssuance[]> {
  return db
    .select()
    .from(couponIssuances)
    .where(and(eq(couponIssuances.eventId, params.eventId), sql`${couponIssuances.id} > ${params.afterId}`))
    .orderBy(couponIssuances.id)
    .limit(params.limit);
}
