import { ApiError, auditQuerySchema } from "@rushgate/api";
import { type AdminAuditRow, appendAudit, listAudit } from "@rushgate/db";
import {
  type AppEnv,
  AUDIT_SIGNATURE_HEADER,
  type AuditEntry,
  requireAdmin,
  validate,
} from "@rushgate/service";
import type { Hono } from "hono";
import { warmAdminTokensIfCold } from "../admin-tokens";
import type { CouponDeps } from "../app";

function entryView(row: AdminAuditRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    token: row.token,
    operator: row.operator,
    action: row.action,
    target: row.target,
    params: row.params,
    before: row.before,
    after: row.after,
    status: row.status,
    requestId: row.requestId,
    source: row.source,
  };
}

const CSV_COLUMNS = [
  "id",
  "at",
  "token",
  "operator",
  "action",
  "target",
  "params",
  "before",
  "after",
  "status",
  "requestId",
  "source",
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string" ? value : typeof value === "number" ? String(value) : JSON.stringify(value);
  // A leading =, +, - or @ would be read as a formula by a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function toCsv(rows: ReturnType<typeof entryView>[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) lines.push(CSV_COLUMNS.map((k) => csvCell(row[k])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * GET /admin/api/audit (the trail, newest first, paged by `before`; JSON or CSV) and the router's
 * write path. Nothing here or anywhere else updates or deletes an entry.
 */
export function registerAdminAudit(app: Hono<AppEnv>, deps: CouponDeps) {
  app.get("/admin/api/audit", requireAdmin(), validate("query", auditQuerySchema), async (c) => {
    const { format, ...query } = c.req.valid("query");
    const page = await listAudit(deps.db, query);
    const entries = page.rows.map(entryView);
    if (format === "csv") {
      if (page.next !== null) c.header("x-next-before", String(page.next));
      c.header("content-disposition", 'attachment; filename="rushgate-audit.csv"');
      return c.body(toCsv(entries), 200, { "content-type": "text/csv; charset=utf-8" });
    }
    return c.json({ entries, next: page.next });
  });

  // Only routers call this: it is not under /admin/api (the router forwards nothing else here),
  // and an entry counts only with the router's signature, keyed from ADMIN_TOKEN.
  app.post("/internal/audit", async (c) => {
    const body = await c.req.text();
    if (!deps.adminAuth.verifyRecord(body, c.req.header(AUDIT_SIGNATURE_HEADER)))
      throw new ApiError("unauthorized", "unsigned audit entry");
    const entry = JSON.parse(body) as AuditEntry;
    await appendAudit(deps.db, entry);
    return c.body(null, 204);
  });

  // A router found Redis's copy of the named admin tokens gone (it cannot read MySQL itself).
  app.post("/internal/admin-tokens/reload", async (c) => {
    if (!deps.adminAuth.verifyRecord(await c.req.text(), c.req.header(AUDIT_SIGNATURE_HEADER)))
      throw new ApiError("unauthorized", "unsigned request");
    await warmAdminTokensIfCold(deps);
    return c.body(null, 204);
  });
}
