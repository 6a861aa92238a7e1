import { ApiError, type EventView, type WaitingBody } from "@rushgate/api";
import type { AppEnv } from "@rushgate/service";
import type { Hono, MiddlewareHandler } from "hono";
import type { RouterDeps } from "../app";
import { browserUser } from "../identity";
import { joinQueue } from "../queue";
import { getEvent } from "./data";
import { eventIdOf, NotFoundPage, page, pageContext } from "./event";
import { Layout, Notice, render, Time } from "./layout";
import { prequeueText } from "./prequeue-text";

/** "about 3 min", as the script says it too. */
export function etaText(seconds: number | null): string {
  if (seconds === null) return "working it out…";
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `about ${minutes} min` : `about ${Math.round(minutes / 6) / 10} h`;
}

/** How far along the line the user is, from the position they first had (`from`). */
export function progressPercent(position: number, from: number): number {
  return Math.round((100 * (from - position + 1)) / (from + 1));
}

export interface QueuePageProps {
  event: EventView;
  /** Waiting: the status; otherwise why the wait is over. */
  state: WaitingBody | "sold_out" | "ended";
  /** The position first seen, carried through the no-JS refresh so the bar keeps its scale. */
  from: number;
}

/** `/queue/:eventId` — the waiting room. */
export function QueuePage({ event, state, from }: QueuePageProps) {
  if (state === "sold_out" || state === "ended")
    return (
      <Layout title={`${event.name} — waiting room`}>
        <p class="eyebrow">Waiting room</p>
        <h1>{event.name}</h1>
        <Notice kind="bad" title={state === "sold_out" ? "Sold out" : "This drop has ended"}>
          {state === "sold_out"
            ? "Every coupon has been given out, so there is no need to wait any longer. Sorry! "
            : "The line is closed. "}
          <a href="/">See other drops</a>
        </Notice>
      </Layout>
    );
  const s = state;
  // null: the place waits for the pre-queue's shuffle at the start; the script fills it in.
  const position = s.position;
  const top = position === null ? from : Math.max(from, position);
  const pct = position === null ? 0 : progressPercent(position, top);
  const refreshSeconds = Math.min(5, Math.max(1, Math.ceil(s.pollAfterMs / 1000)));
  const upcoming = Date.parse(event.startsAt) > Date.now();
  return (
    <Layout
      title={`${event.name} — waiting room`}
      script="queue.js"
      head={
        <noscript>
          <meta http-equiv="refresh" content={`${refreshSeconds};url=/queue/${event.id}?from=${top}`} />
        </noscript>
      }
    >
      <p class="eyebrow">Waiting room</p>
      <h1>{event.name}</h1>
      <p class="lead">
        {event.prequeue === "shuffle" ? (
          prequeueText.rule(<Time at={event.startsAt} />)
        ) : upcoming ? (
          <>
            The drop opens at <Time at={event.startsAt} />. You have a place in line; when it opens, people
            are let in in the order they arrived.
          </>
        ) : (
          "Lots of people want in right now, so we let them in a few at a time, in the order they arrived."
        )}
      </p>
      <section
        id="queue"
        data-event={String(event.id)}
        data-from={String(top)}
        data-position={position === null ? "" : String(position)}
        data-poll={String(s.pollAfterMs)}
        data-pending-value={prequeueText.pendingValue}
        data-pending-label={prequeueText.pendingLabel}
      >
        <div id="queue-card" class="card">
          <p class="big" aria-live="polite" aria-atomic="true">
            <strong id="position">{position ?? prequeueText.pendingValue}</strong>
            <span id="position-label">
              {position === null
                ? prequeueText.pendingLabel
                : position === 1
                  ? "You're next"
                  : `You're number ${position} in line`}
            </span>
          </p>
          <dl class="facts">
            <dt>People ahead of you</dt>
            <dd id="ahead">{position === null ? prequeueText.pendingValue : position - 1}</dd>
            <dt>Estimated wait</dt>
            <dd id="eta">{etaText(s.etaSeconds)}</dd>
            <dt>In line now</dt>
            <dd id="waiting">{s.waiting}</dd>
          </dl>
          <label for="progress">
            Your progress: <span id="progress-text">{pct}%</span>
          </label>
          <progress id="progress" max={100} value={pct}>
            {pct}%
          </progress>
          <p id="conn" class="muted small" role="status">
            Keep this page open: it checks by itself and takes you to the drop when it's your turn.
          </p>
        </div>
        <div id="outcome" tabindex={-1} />
      </section>
      <p class="small muted">
        Refreshing or coming back soon keeps your place. If you close this page for more than half a minute,
        you lose it.
      </p>
      <noscript>
        <p class="small muted">This page refreshes every few seconds to show where you are.</p>
      </noscript>
    </Layout>
  );
}

/** `/queue/:eventId`: joins the queue on load (idempotent: a refresh keeps the place). */
export function registerQueuePage(app: Hono<AppEnv>, deps: RouterDeps, secure: MiddlewareHandler) {
  app.get(
    "/queue/:eventId",
    secure,
    page(async (c) => {
      const eventId = eventIdOf(c);
      const userId = await browserUser(c, deps.identity, deps.budgets.status);
      const ctx = pageContext(c);
      const [event, joined] = await Promise.all([
        getEvent(deps.coupon, ctx, eventId),
        joinQueue(deps.queue, eventId, userId).then(
          (result) => ({ result }),
          (err: unknown) => ({ err }),
        ),
      ]);
      if (!event) return render(c, <NotFoundPage />, 404);
      if ("err" in joined) {
        const code = joined.err instanceof ApiError ? joined.err.code : undefined;
        if (code === "sold_out") return render(c, <QueuePage event={event} state="sold_out" from={0} />);
        if (code === "event_not_open") return render(c, <QueuePage event={event} state="ended" from={0} />);
        throw joined.err;
      }
      const { result } = joined;
      if (result.status === 200) return c.redirect(`/events/${eventId}`, 302);
      const from = Number(c.req.query("from"));
      return render(
        c,
        <QueuePage
          event={event}
          state={result.body}
          from={Number.isSafeInteger(from) && from > 0 ? from : (result.body.position ?? 0)}
        />,
      );
    }),
  );
}
