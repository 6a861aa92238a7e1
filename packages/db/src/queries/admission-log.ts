import { sql } from "drizzle-orm";
import type mysql from "mysql2/promise";
import type { Db } from "../client";
import { admissionLog, type NewAdmissionLogRow } from "../schema";

/**
 * One multi-row insert of drained log records. A record already present (a drain repeated after
 * a crash between insert and trim) is left as it is, through the unique stream id.
 */
export async function insertAdmissionLog(db: Db, rows: NewAdmissionLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(admissionLog)
    .values(rows)
    .onDuplicateKeyUpdate({ set: { kind: sql`kind` } });
}

/** A log row as the export reads it, with an admission's time of entry. */
export interface AdmissionLogExportRow {
  stream_ms: number;
  stream_seq: number;
  kind: string;
  user_id: string;
  seq: number | null;
  at: Date;
  mode: string | null;
  entered_at: Date | null;
}

/**
 * One page of an event's log in log order, after the record `after` (its stream id; none: from
 * the start), so that an export reads the log a page at a time (keyset pagination on the unique
 * key) and never holds all of it. A queued admission's time of entry is that of the latest entry
 * with its sequence before it; a direct admission entered when it was admitted.
 */
export async function listAdmissionLogPage(
  pool: mysql.Pool,
  params: { eventId: number; after: { ms: number; seq: number } | null; limit: number },
): Promise<AdmissionLogExportRow[]> {
  const after = params.after ?? { ms: -1, seq: -1 };
  const [rows] = await pool.query(
    `SELECT l.stream_ms, l.stream_seq, l.kind, l.user_id, l.seq, l.at, l.mode,
       CASE WHEN l.kind <> 'admit' THEN NULL
            WHEN l.mode = 'direct' THEN l.at
            ELSE (SELECT e.at FROM admission_log e
                  WHERE e.event_id = l.event_id AND e.seq = l.seq AND e.kind = 'entry'
                    AND (e.stream_ms < l.stream_ms OR (e.stream_ms = l.stream_ms AND e.stream_seq < l.stream_seq))
                  ORDER BY e.stream_ms DESC, e.stream_seq DESC LIMIT 1)
       END AS entered_at
     FROM admission_log l
     WHERE l.event_id = ? AND (l.stream_ms > ? OR (l.stream_ms = ? AND l.stream_seq > ?))
     ORDER BY l.stream_ms, l.stream_seq
     LIMIT ?`,
    [params.eventId, after.ms, after.ms, after.seq, params.limit],
  );
  return rows as AdmissionLogExportRow[];
}

export async function countAdmissionLog(db: Db, params: { eventId: number }): Promise<number> {
  const [rows] = (await db.execute(
    sql`SELECT COUNT(*) AS n FROM admission_log WHERE event_id = ${params.eventId}`,
  )) as unknown as [{ n: number }[]];
  return Number(rows[0]?.n ?? 0);
}
