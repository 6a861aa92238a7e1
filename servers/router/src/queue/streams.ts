import type { ServerResponse } from "node:http";
import type { Logger } from "@rushgate/logger";
import { QUEUE_BATCH, type QueueReply, statusMany } from "@rushgate/redis";
import { errorAnswer } from "@rushgate/service";
import { queueAnswer } from "./answer";
import type { QueueDeps } from "./index";

/** One open `GET /api/queue/:eventId/events` (text/event-stream). */
interface Stream {
  eventId: number;
  userId: string;
  res: ServerResponse;
  /** What the last message said (see `replyKey`), so only changes are sent. */
  last: string;
  /** A message held back while the socket's buffer is full: only the newest state matters. */
  pending: string | undefined;
  blockedAt: number | undefined;
  wroteAt: number;
}

export interface StreamHubOptions {
  queue: QueueDeps;
  log: Logger;
  /** How often every open stream's status is read (STREAM_TICK_MS). */
  tickMs: number;
  /** A comment line after this long without a message, so proxies keep the stream (STREAM_HEARTBEAT_MS). */
  heartbeatMs: number;
}

export type StreamHub = ReturnType<typeof createStreamHub>;

/** What decides whether a reply is news: a fresh token for an issued user is not. */
function replyKey(r: QueueReply): string {
  if (r.kind === "waiting") return `w${r.position}|${r.waiting}|${r.rate}|${r.paused ? "p" : ""}`;
  if (r.kind === "admitted") return `a${r.expiresAt}`;
  return r.kind;
}

const message = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;

/** After these the status route would answer the same for good: the stream says it and ends. */
const FINAL = new Set(["sold_out", "not_in_queue", "not_open", "not_found"]);

/**
 * The router's open event streams, per event and user (one stream per user and event: a second
 * replaces the first). Every `tickMs`, one status-8.lua call per event and per
 * QUEUE_BATCH users reads what a status poll would answer each of them — and, like a
 * poll, marks them as seen on Redis's clock — and only the streams whose answer changed get a
 * message. No Redis call per stream, no timer per stream.
 */
export function createStreamHub(options: StreamHubOptions) {
  const { queue, log } = options;
  const events = new Map<number, Map<string, Stream>>();
  let open = 0;
  let closed = false;
  let ticking = false;
  let ticks = 0;

  function write(s: Stream, chunk: string, now: number) {
    if (s.blockedAt !== undefined) {
      // Still full: keep only the newest message (a heartbeat never displaces one).
      if (chunk.startsWith("data:") || chunk.startsWith("event:")) s.pending = chunk;
      return;
    }
    s.wroteAt = now;
    if (!s.res.write(chunk)) s.blockedAt = now;
  }

  function drop(s: Stream) {
    const users = events.get(s.eventId);
    if (users?.get(s.userId) !== s) return;
    users.delete(s.userId);
    open -= 1;
    if (users.size === 0) events.delete(s.eventId);
  }

  function end(s: Stream) {
    drop(s);
    if (!s.res.writableEnded) s.res.end();
  }

  function push(s: Stream, reply: QueueReply, now: number) {
    const key = replyKey(reply);
    if (key === s.last) return;
    s.last = key;
    let body: unknown;
    try {
      body = queueAnswer(reply, { secret: queue.secret, eventId: s.eventId, userId: s.userId });
    } catch (err) {
      body = errorAnswer(err, "").body; // the status route's error body (not_in_queue, ended, …)
    }
    if (!FINAL.has(reply.kind)) return write(s, message(body), now);
    // The last word is sent whatever the socket's buffer holds (end queues it behind the rest).
    drop(s);
    s.res.end(message(body));
  }

  async function tickEvent(eventId: number, users: Map<string, Stream>, now: number) {
    const streams = [...users.values()];
    const batches: Promise<void>[] = [];
    for (let i = 0; i < streams.length; i += QUEUE_BATCH) {
      const batch = streams.slice(i, i + QUEUE_BATCH);
      const ids = batch.map((s) => s.userId);
      batches.push(
        statusMany(queue.redis, queue.keys.event(eventId), ids).then((replies) => {
          for (const [j, s] of batch.entries()) {
            const reply = replies[j];
            // A stream replaced or closed while Redis answered is left alone.
            if (reply && users.get(s.userId) === s) push(s, reply, now);
          }
        }),
      );
    }
    await Promise.all(batches);
  }

  async function tick() {
    if (ticking || events.size === 0) return;
    ticking = true;
    const now = Date.now();
    try {
      const work = [...events].map(([eventId, users]) =>
        tickEvent(eventId, users, now).catch((err: unknown) => {
          // Redis away: the streams stay open and the next tick tries again.
          log.warn({ err, eventId }, "event stream tick failed");
        }),
      );
      await Promise.all(work);
      for (const users of events.values())
        for (const s of users.values()) {
          if (s.blockedAt !== undefined && now - s.blockedAt > options.heartbeatMs * 2) {
            s.res.destroy(); // a client that reads nothing for that long is gone
          } else if (now - s.wroteAt >= options.heartbeatMs) write(s, ":\n\n", now);
        }
    } finally {
      ticking = false;
      ticks += 1;
    }
  }

  const timer = setInterval(() => void tick(), options.tickMs);
  timer.unref();

  return {
    /**
     * Takes over a response whose first answer (`first`, the status route's body) is known: sends
     * the headers and that answer, then pushes every change until the client goes.
     */
    open(args: {
      eventId: number;
      userId: string;
      res: ServerResponse;
      /** The status route's reply and body for this user, read when the stream was asked for. */
      first: { reply: QueueReply; body: unknown };
      requestId: string;
    }) {
      const { res, eventId, userId } = args;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no", // nginx and the Ingress: pass each message on at once
        "x-request-id": args.requestId,
      });
      res.socket?.setNoDelay(true);
      const now = Date.now();
      const s: Stream = {
        eventId,
        userId,
        res,
        last: replyKey(args.first.reply),
        pending: undefined,
        blockedAt: undefined,
        wroteAt: now,
      };
      res.write(`retry: 3000\n${message(args.first.body)}`);
      if (closed || FINAL.has(args.first.reply.kind)) {
        res.end();
        return;
      }
      const previous = events.get(eventId)?.get(userId);
      if (previous) {
        // One stream per user and event: the older one is told why it ends, so it does not
        // reconnect (and replace this one in turn).
        previous.res.write("event: replaced\ndata: {}\n\n");
        end(previous);
      }
      const users = events.get(eventId) ?? new Map<string, Stream>();
      events.set(eventId, users);
      users.set(userId, s);
      open += 1;
      res.on("drain", () => {
        s.blockedAt = undefined;
        const pending = s.pending;
        s.pending = undefined;
        if (pending !== undefined) write(s, pending, Date.now());
      });
      res.on("close", () => drop(s));
      res.on("error", () => drop(s));
    },
    size: () => open,
    /** Ticks done with streams open (tests wait for some to pass). */
    ticks: () => ticks,
    /** Ends every stream (shutdown): clients reconnect, to another router. */
    close() {
      closed = true;
      clearInterval(timer);
      for (const users of [...events.values()]) for (const s of [...users.values()]) end(s);
    },
    /** One tick now (tests). */
    tick,
  };
}
