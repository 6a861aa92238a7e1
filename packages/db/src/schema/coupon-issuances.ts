import { sql } from "drizzle-orm";
import { bigint, datetime, index, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

/** One row per issued coupon; UNIQUE(event_id, user_id) makes every insert idempotent. */
export const couponIssuances = mysqlTable(
  "coupon_issuances",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    eventId: bigint("event_id", { mode: "number", unsigned: true }).notNull(),
    userId: varchar("user_id", { length: 64 }).notNull(),
    couponId: varchar("coupon_id", { length: 40 }).notNull(),
    issuedAt: datetime("issued_at", { mode: "date", fsp: 3 }).notNull(),
    persistedAt: datetime("persisted_at", { mode: "date", fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [
    uniqueIndex("coupon_issuances_event_user_uq").on(t.eventId, t.userId),
    index("coupon_issuances_user_idx").on(t.userId),
  ],
);

export type CouponIssuance = typeof couponIssuances.$inferSelect;
export type NewCouponIssuance = typeof couponIssuances.$inferInsert;
