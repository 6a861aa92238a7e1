import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { type AdminAuditRow, adminAudit, type NewAdminAuditRow } from "../schema";

/** The only write the audit trail has. */
export async function appendAudit(db: Db, row: NewAdminAuditRow): Promise<void> {
  await db.insert(adminAudit).values(row);
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  /** A token name or an operator name. */
  actor?: string;
  /** Rows with an id below this one (the previous page's `next`). */
  before?: number;
  limit: number;
}

/** Newest first, one page; `next` is the cursor of the following page, null at the end. */
export async function listAudit(
  db: Db,
  query: AuditQuery,
): Promise<{ rows: AdminAuditRow[]; next: number | null }> {
  const where: SQL[] = [];
  if (query.from) where.push(gte(adminAudit.at, query.from));
  if (query.to) where.push(lt(adminAudit.at, query.to));
  if (query.before) where.push(lt(adminAudit.id, query.before));
  if (query.actor) {
    const match = or(eq(adminAudit.token, query.actor), eq(adminAudit.operator, query.actor));
    if (match) where.push(match);
  }
  const rows = await db
    .select()
    .from(adminAudit)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(adminAudit.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > query.limit && last ? last.id : null };
}
