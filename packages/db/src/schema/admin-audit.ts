import { sql } from "drizzle-orm";
import { bigint, customType, datetime, index, mysqlTable, smallint, varchar } from "drizzle-orm/mysql-core";

/**
 * JSON kept as text, written and read by us: MySQL's JSON type comes back parsed and MariaDB's
 * (LONGTEXT) as text, and a JSON string value cannot tell the two apart.
 */
const jsonText = customType<{ data: unknown; driverData: string | null }>({
  dataType: () => "mediumtext",
  toDriver: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
  fromDriver: (value) => (value === null ? null : JSON.parse(value)),
});

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
    params: jsonText("params"),
    before: jsonText("before"),
    after: jsonText("after"),
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
