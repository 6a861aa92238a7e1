import { sql } from "drizzle-orm";
import { bigint, char, datetime, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

/**
 * Named admin tokens. Only the SHA-256 of a token is kept (a token is 256 random bits, so a fast
 * hash is enough; no salt or KDF is needed for secrets nobody chose). A name is never reused,
 * even after its token is revoked, so a name in the audit trail means one token for good.
 */
export const adminTokens = mysqlTable(
  "admin_tokens",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    name: varchar("name", { length: 64 }).notNull(),
    tokenHash: char("token_hash", { length: 64 }).notNull(),
    createdAt: datetime("created_at", { mode: "date", fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    createdBy: varchar("created_by", { length: 140 }).notNull(),
    lastUsedAt: datetime("last_used_at", { mode: "date", fsp: 3 }),
    revokedAt: datetime("revoked_at", { mode: "date", fsp: 3 }),
    revokedBy: varchar("revoked_by", { length: 140 }),
  },
  (t) => [
    uniqueIndex("admin_tokens_name_uq").on(t.name),
    uniqueIndex("admin_tokens_hash_uq").on(t.tokenHash),
  ],
);

export type AdminToken = typeof adminTokens.$inferSelect;
