import {
  ApiError,
  type ExportEvent,
  type ExportFormat,
  eventParamSchema,
  exportContentType,
  exportHeader,
  exportLine,
  exportQuerySchema,
  type LogKind,
  type LogRecord,
  seedCommitment,
} from "@rushgate/api";
import {
  type AdmissionLogExportRow,
  type CouponEvent,
  countIssuances,
  findEvent,
  listAdmissionLogPage,
} from "@rushgate/db";
import { redisNow } from "@rushgate/redis";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";

/** Log rows read from MySQL per chunk of the response. */
const PAGE = 1_000;

/**
 * GET /admin/api/events/:eventId/admissions?format=jsonl|csv: the event's admission log as
 * MySQL has it (the issuer drains Redis into it every second), with what a verifier needs about
 * the event, streamed from MySQL a page at a time (admission-export.ts has the format).
 */
export function registerAdminAdmissions(app: Hono<AppEnv>, deps: CouponDeps) {
  app.get(
    "/admin/api/events/:eventId/admissions",
    requireAdmin(),
    validate("param", eventParamSchema),
    validate("query", exportQuerySchema),
    async (c) => {
      const { eventId } = c.req.valid("param");
      const { format } = c.req.valid("query");
      const row = await findEvent(deps.db, { id: eventId });
      if (!row) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
      const [issued, now] = await Promise.all([countIssuances(deps.db, { eventId }), redisNow(deps.redis)]);
      const event = exportEvent(row, issued, now);
      const log = c.get("log");
      const body = exportStream(format, event, deps, (err) => log.error({ err, eventId }, "export failed"));
      c.header("content-type", exportContentType[format]);
      c.header("content-disposition", `attachment; filename="event-${eventId}-admissions.${format}"`);
      c.header("cache-control", "no-store");
      return c.body(body, 200);
    },
  );
}

/**
 * The pre-queue fields of the event row: the commitment from the first, the seed only once the
 * event has started, since the shuffle runs at the start and the seed must not be known before it.
 */
export function exportEvent(row: CouponEvent, issued: number, now: number): ExportEvent {
  const started = now >= row.startsAt.getTime();
  const seed = row.prequeue === "shuffle" ? row.prequeueSeed : null;
  return {
    type: "event",
    eventId: row.id,
    name: row.name,
    stock: row.stock,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    prequeue: row.prequeue,
    ...(seed ? { seedCommitment: seedCommitment(seed) } : {}),
    ...(seed && started ? { seed } : {}),
    issued,
    exportedAt: new Date(now).toISOString(),
  };
}

function exportRecord(r: AdmissionLogExportRow): LogRecord {
  return {
    type: "record",
    id: `${r.stream_ms}-${r.stream_seq}`,
    kind: r.kind as LogKind,
    userId: r.user_id,
    seq: r.seq === null ? null : Number(r.seq),
    at: r.at.toISOString(),
    enteredAt: r.entered_at ? r.entered_at.toISOString() : null,
    mode: r.mode,
  };
}

/**
 * The export as a byte stream pulled by the client: a page of MySQL rows is read only when the
 * socket has taken the previous lines, so memory stays at one page whatever the log's size. An
 * error part way ends the response without the end line, which tells the verifier the export is
 * cut off.
 */
function exportStream(
  format: ExportFormat,
  event: ExportEvent,
  deps: CouponDeps,
  onError: (err: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let head: string | undefined = exportLine(format, event) + exportHeader(format);
  let after: { ms: number; seq: number } | null = null;
  let count = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = head ?? "";
      head = undefined;
      try {
        const rows = await listAdmissionLogPage(deps.database.pool, {
          eventId: event.eventId,
          after,
          limit: PAGE,
        });
        for (const row of rows) text += exportLine(format, exportRecord(row));
        count += rows.length;
        const last = rows[rows.length - 1];
        if (last) after = { ms: Number(last.stream_ms), seq: Number(last.stream_seq) };
        if (rows.length < PAGE) text += exportLine(format, { type: "end", records: count });
        controller.enqueue(encoder.encode(text));
        if (rows.length < PAGE) controller.close();
      } catch (err) {
        onError(err);
        controller.error(err);
      }
    },
  });
}
