import { z } from "zod";
import { PREQUEUE_RULES } from "./schemas";

/**
 * The admission log export (GET /admin/api/events/:eventId/admissions), in one place for the
 * coupon server that writes it and the verifier that reads it. JSON lines: an `event` line, one
 * `record` line per log record in log order, an `end` line with the record count (so a cut-off
 * export is told from a complete one). CSV: the same `event` and `end` objects as `#event {…}`
 * and `#end {…}` comment lines around a header row and one row per record.
 */
/** `shuffle`: the pre-queue's shuffle ran here (optional: without it the first admission marks it). */
export const LOG_KINDS = ["entry", "admit", "leave", "evict", "expire", "issue", "close", "shuffle"] as const;
export type LogKind = (typeof LOG_KINDS)[number];

const iso = z.string().datetime({ offset: true });

export const exportEventSchema = z.object({
  type: z.literal("event"),
  eventId: z.number().int().positive(),
  name: z.string(),
  stock: z.number().int().nonnegative(),
  startsAt: iso,
  endsAt: iso,
  /** Absent on events made before the pre-queue setting existed: fifo. */
  prequeue: z.enum(PREQUEUE_RULES).optional(),
  /** sha256(seed), published from the event's creation (shuffle only). */
  seedCommitment: z.string().optional(),
  /** The seed, once revealed (after the shuffle). */
  seed: z.string().optional(),
  /** Rows of coupon_issuances for the event when the export was made. */
  issued: z.number().int().nonnegative(),
  exportedAt: iso,
});

export const logRecordSchema = z.object({
  type: z.literal("record"),
  /** The Redis stream id, `<ms>-<n>`: unique and increasing in log order. */
  id: z.string().regex(/^\d+-\d+$/),
  kind: z.enum(LOG_KINDS),
  /** Empty for a record about the whole queue (close). */
  userId: z.string(),
  /** Entry sequence (arrival order): entry, queued admit, leave of a waiter. */
  seq: z.number().int().nonnegative().nullable(),
  at: iso,
  /** An admission's time of entry: its entry record's, or its own for a direct admission. */
  enteredAt: iso.nullable(),
  /** admit: direct | queued; close: sold_out | ended. */
  mode: z.string().nullable(),
});

export const exportEndSchema = z.object({ type: z.literal("end"), records: z.number().int().nonnegative() });

export type ExportEvent = z.infer<typeof exportEventSchema>;
export type LogRecord = z.infer<typeof logRecordSchema>;
export type ExportEnd = z.infer<typeof exportEndSchema>;

export interface AdmissionExport {
  event: ExportEvent;
  records: LogRecord[];
  /** Absent when the export was cut off. */
  end?: ExportEnd;
}

export type ExportFormat = "jsonl" | "csv";

export const CSV_COLUMNS = ["id", "kind", "user_id", "seq", "at", "entered_at", "mode"] as const;

export const exportContentType: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/** One line of the export (with its newline). */
export function exportLine(format: ExportFormat, item: ExportEvent | LogRecord | ExportEnd): string {
  if (format === "jsonl") return `${JSON.stringify(item)}\n`;
  if (item.type !== "record") return `#${item.type} ${JSON.stringify(item)}\n`;
  const r = item;
  return `${[r.id, r.kind, r.userId, r.seq ?? "", r.at, r.enteredAt ?? "", r.mode ?? ""].map(csvField).join(",")}\n`;
}

/** The line after the event line in CSV (none in JSON lines). */
export function exportHeader(format: ExportFormat): string {
  return format === "csv" ? `${CSV_COLUMNS.join(",")}\n` : "";
}

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Reads an export in either format; throws with the line number on anything malformed. */
export function parseExport(text: string): AdmissionExport {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  let event: ExportEvent | undefined;
  let end: ExportEnd | undefined;
  const records: LogRecord[] = [];
  lines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    try {
      if (line.startsWith("{")) {
        const item = JSON.parse(line) as { type?: unknown };
        if (item.type === "event") event = exportEventSchema.parse(item);
        else if (item.type === "end") end = exportEndSchema.parse(item);
        else records.push(logRecordSchema.parse(item));
      } else if (line.startsWith("#event ")) event = exportEventSchema.parse(JSON.parse(line.slice(7)));
      else if (line.startsWith("#end ")) end = exportEndSchema.parse(JSON.parse(line.slice(5)));
      else if (line === CSV_COLUMNS.join(",")) return;
      else records.push(parseCsvRecord(line));
    } catch (err) {
      throw new Error(`${at}: ${problem(err)}`);
    }
  });
  if (!event) throw new Error("the export has no event line");
  return { event, records, ...(end ? { end } : {}) };
}

function problem(err: unknown): string {
  if (err instanceof z.ZodError)
    return err.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; ");
  return err instanceof Error ? err.message : String(err);
}

function parseCsvRecord(line: string): LogRecord {
  const fields = line.split(",");
  if (fields.length !== CSV_COLUMNS.length) throw new Error(`expected ${CSV_COLUMNS.length} fields`);
  const [id, kind, userId, seq, at, enteredAt, mode] = fields as string[];
  return logRecordSchema.parse({
    type: "record",
    id,
    kind,
    userId,
    seq: seq === "" ? null : Number(seq),
    at,
    enteredAt: enteredAt === "" ? null : enteredAt,
    mode: mode === "" ? null : mode,
  });
}

/** The export's query string: `?format=jsonl` (the default) or `?format=csv`. */
export const exportQuerySchema = z.object({ format: z.enum(["jsonl", "csv"]).default("jsonl") }).strict();
