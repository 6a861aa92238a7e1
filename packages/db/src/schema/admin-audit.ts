import { sql } from "drizzle-orm";
import { bigint, datetime, index, json, mysqlTable, smallint, varchar } from "drizzle-orm/mysql-core";

/**
 * The audit trail: one row per admin action that changes something (and per refused attempt).
 * Append-only: nothing in rushgate updates or deletes a row (grant the app INSERT and SELECT only
 * on this table to make the database enforce it).
 */
export const adminAudit = mysqlTable(
  "admin_audit",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    at: datetime("at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    /** The token's name ("bootstrap" for ADMIN_TOKEN); null when authentication failed. */
    token: varchar("token", { length: 64 }),
    /** The operator name given at sign-in (dashboard actions); null for bearer-token calls. */
    operator: varchar("operator", { length: 64 }),
    /** e.g. `PUT /admin/api/traffic`, or `sign-in` for the dashboard's session. */
    action: varchar("action", { length: 200 }).notNull(),
    /** The concrete path, e.g. `/admin/api/events/42/switches`. */
    target: varchar("target", { length: 500 }).notNull(),
    params: json("params"),
    before: json("before"),
    after: json("after"),
    status: smallint("status", { unsigned: true }).notNull(),
    requestId: varchar("request_id", { length: 64 }).notNull(),
    /** Which server recorded it (router or coupon). */
    source: varchar("source", { length: 16 }).notNull(),
  },
  (t) => [
    index("admin_audit_at_idx").on(t.at),
    index("admin_audit_token_idx").on(t.token),
    index("admin_audit_operator_idx").on(t.operator),
  ],
);

export type AdminAuditRow = typeof adminAudit.$inferSelect;
export type NewAdminAuditRow = typeof adminAudit.$inferInsert;
