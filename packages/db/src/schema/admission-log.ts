import { bigint, datetime, index, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

/**
 * An event's admission log as the issuer drains it from Redis (the `log` stream of EventKeys):
 * one row per entry, admission or departure, in the stream's order. The stream id (ms and
 * sequence) is unique per event, so a drain repeated after a crash between insert and trim
 * never duplicates a record.
 */
export const admissionLog = mysqlTable(
  "admission_log",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    eventId: bigint("event_id", { mode: "number", unsigned: true }).notNull(),
    streamMs: bigint("stream_ms", { mode: "number", unsigned: true }).notNull(),
    streamSeq: bigint("stream_seq", { mode: "number", unsigned: true }).notNull(),
    /** entry | admit | leave | evict | expire | issue | close */
    kind: varchar("kind", { length: 8 }).notNull(),
    /** Empty for a record about the whole queue (close). */
    userId: varchar("user_id", { length: 64 }).notNull(),
    /** The entry's sequence number (arrival order), where the record has one. */
    seq: bigint("seq", { mode: "number", unsigned: true }),
    /** Redis's time of the record. */
    at: datetime("at", { mode: "date", fsp: 3 }).notNull(),
    /** admit: direct | queued; close: sold_out | ended. */
    mode: varchar("mode", { length: 16 }),
  },
  (t) => [
    uniqueIndex("admission_log_event_stream_uq").on(t.eventId, t.streamMs, t.streamSeq),
    index("admission_log_event_seq_idx").on(t.eventId, t.seq),
  ],
);

export type AdmissionLogRow = typeof admissionLog.$inferSelect;
export type NewAdmissionLogRow = typeof admissionLog.$inferInsert;
