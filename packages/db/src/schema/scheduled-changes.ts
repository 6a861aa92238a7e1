import { sql } from "drizzle-orm";
import { bigint, datetime, index, mysqlEnum, mysqlTable, varchar } from "drizzle-orm/mysql-core";

/**
 * Scheduled setting changes (issue 13): MySQL holds the schedule, Redis the applied state. The
 * coupon server inserts a row and copies it to Redis; the waiting room's scheduler applies it to
 * the event's Redis meta at its time (apply-changes-7.lua) and records that in Redis; the issuer
 * writes that back here (state, applied_at) together with the event's settings.
 */
export const scheduledChanges = mysqlTable(
  "scheduled_changes",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    eventId: bigint("event_id", { mode: "number", unsigned: true }).notNull(),
    applyAt: datetime("apply_at", { mode: "date", fsp: 3 }).notNull(),
    /** The settings it sets, as JSON text: {"admitPerTick":300,"rpmThreshold":null}. */
    settings: varchar("settings", { length: 255 }).notNull(),
    state: mysqlEnum("state", ["scheduled", "applied", "cancelled"]).notNull().default("scheduled"),
    appliedAt: datetime("applied_at", { mode: "date", fsp: 3 }),
    createdAt: datetime("created_at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [index("scheduled_changes_event_idx").on(t.eventId, t.state, t.applyAt)],
);

export type ScheduledChange = typeof scheduledChanges.$inferSelect;
