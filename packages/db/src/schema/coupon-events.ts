import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  datetime,
  index,
  int,
  mysqlEnum,
  mysqlTable,
  varchar,
} from "drizzle-orm/mysql-core";

/** One row per coupon drop: the record of truth that Redis's hot copy is warmed from. */
export const couponEvents = mysqlTable(
  "coupon_events",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    name: varchar("name", { length: 200 }).notNull(),
    stock: int("stock", { unsigned: true }).notNull(),
    startsAt: datetime("starts_at", { mode: "date", fsp: 3 }).notNull(),
    endsAt: datetime("ends_at", { mode: "date", fsp: 3 }).notNull(),
    rpmThreshold: int("rpm_threshold", { unsigned: true }),
    runningCapacity: int("running_capacity", { unsigned: true }).notNull(),
    admitPerTick: int("admit_per_tick", { unsigned: true }).notNull(),
    admissionTtlSeconds: int("admission_ttl_seconds", { unsigned: true }).notNull(),
    idleTimeoutSeconds: int("idle_timeout_seconds", { unsigned: true }).notNull(),
    actWithinSeconds: int("act_within_seconds", { unsigned: true }).notNull().default(30),
    // The operator's kill switches (issue 13.1): kept here so that they survive a Redis loss.
    paused: boolean("paused").notNull().default(false),
    queueAll: boolean("queue_all").notNull().default(false),
    entryClosed: boolean("entry_closed").notNull().default(false),
    prequeue: mysqlEnum("prequeue", ["fifo", "shuffle"]).notNull().default("fifo"),
    /** `shuffle` only: the secret seed (32 bytes, hex), never answered before the shuffle has run. */
    prequeueSeed: char("prequeue_seed", { length: 64 }),
    createdAt: datetime("created_at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [index("coupon_events_ends_at_idx").on(t.endsAt)],
);

export type CouponEvent = typeof couponEvents.$inferSelect;
export type NewCouponEvent = typeof couponEvents.$inferInsert;
