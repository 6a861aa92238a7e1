import { ApiError, type EventView, type WaitingBody } from "@rushgate/api";
import type { AppEnv } from "@rushgate/service";
import type { Hono, MiddlewareHandler } from "hono";
import type { RouterDeps } from "../app";
import { browserUser } from "../identity";
import { joinQueue } from "../queue";
import { getEvent } from "./data";
import { eventIdOf, NotFoundPage, page, pageContext } from "./event";
import { type PageI18n, pageI18n } from "./i18n";
import { Layout, Notice, render, Time } from "./layout";

/** How far along the line the user is, from the position they first had (`from`). */
export function progressPercent(position: number, from: number): number {
  return Math.round((100 * (from - position + 1)) / (from + 1));
}

export interface QueuePageProps {
  event: EventView;
  /** Waiting: the status; otherwise why the wait is over. */
  state: WaitingBody | "sold_out" | "ended" | "closed";
  /** The position first seen, carried through the no-JS refresh so the bar keeps its scale. */
  from: number;
  m: PageI18n;
}

/** What the waiting room says once there is nothing to wait for. */
const over = {
  sold_out: { title: "queue.soldOut", detail: "queue.soldOutDetail" },
  ended: { title: "queue.ended", detail: "queue.endedDetail" },
  closed: { title: "queue.closed", detail: "queue.closedDetail" },
} as const;

/** `/queue/:eventId` — the waiting room. */
export function QueuePage({ event, state, from, m }: QueuePageProps) {
  const title = m.t("queue.title", { name: event.name });
  if (state === "sold_out" || state === "ended" || state === "closed")
    return (
      <Layout title={title} i18n={m}>
        <p class="eyebrow">{m.t("queue.eyebrow")}</p>
        <h1>{event.name}</h1>
        <Notice kind="bad" title={m.t(over[state].title)}>
          {m.t(over[state].detail)} <a href="/">{m.t("event.otherDrops")}</a>
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
      title={title}
      script="queue.js"
      i18n={m}
      head={
        <noscript>
          <meta http-equiv="refresh" content={`${refreshSeconds};url=/queue/${event.id}?from=${top}`} />
        </noscript>
      }
    >
      <p class="eyebrow">{m.t("queue.eyebrow")}</p>
      <h1>{event.name}</h1>
      <p class="lead">
        {event.prequeue === "shuffle"
          ? m.rich("queue.prequeueRule", { time: <Time at={event.startsAt} m={m} /> })
          : upcoming
            ? m.rich("queue.leadUpcoming", { time: <Time at={event.startsAt} m={m} /> })
            : m.t("queue.leadBusy")}
      </p>
      <div id="paused" hidden={!s.paused}>
        <Notice kind="warn" title={m.t("queue.paused")}>
          {m.t("queue.pausedDetail")}
        </Notice>
      </div>
      <section
        id="queue"
        data-event={String(event.id)}
        data-from={String(top)}
        data-position={position === null ? "" : String(position)}
        data-poll={String(s.pollAfterMs)}
      >
        <div id="queue-card" class="card">
          <p class="big" aria-live="polite" aria-atomic="true">
            <strong id="position">
              {position === null ? m.t("queue.pendingValue") : m.number(position)}
            </strong>
            <span id="position-label">
              {position === null
                ? m.t("queue.pendingLabel")
                : position === 1
                  ? m.t("queue.next")
                  : m.t("queue.number", { position })}
            </span>
          </p>
          <dl class="facts">
            <dt>{m.t("queue.ahead")}</dt>
            <dd id="ahead">
              {position === null ? m.t("queue.pendingValue") : m.t("queue.people", { count: position - 1 })}
            </dd>
            <dt>{m.t("queue.eta")}</dt>
            <dd id="eta">{s.paused ? m.t("queue.pausedEta") : m.eta(s.etaSeconds)}</dd>
            <dt>{m.t("queue.waiting")}</dt>
            <dd id="waiting">{m.t("queue.people", { count: s.waiting })}</dd>
          </dl>
          <label for="progress">
            {m.rich("queue.progress", { percent: <span id="progress-text">{m.percent(pct)}</span> })}
          </label>
          <progress id="progress" max={100} value={pct}>
            {m.percent(pct)}
          </progress>
          <p id="conn" class="muted small" role="status">
            {m.t("queue.keepOpen")}
          </p>
        </div>
        <div id="outcome" tabindex={-1} />
      </section>
      <p class="small muted">{m.t("queue.keepPlace")}</p>
      <noscript>
        <p class="small muted">{m.t("queue.noscript")}</p>
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
      const m = pageI18n(c);
      if (!event) return render(c, <NotFoundPage m={m} />, 404);
      if ("err" in joined) {
        const code = joined.err instanceof ApiError ? joined.err.code : undefined;
        if (code === "sold_out")
          return render(c, <QueuePage event={event} state="sold_out" from={0} m={m} />);
        if (code === "event_not_open")
          return render(c, <QueuePage event={event} state="ended" from={0} m={m} />);
        if (code === "entry_closed")
          return render(c, <QueuePage event={event} state="closed" from={0} m={m} />);
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
          m={m}
        />,
      );
    }),
  );
}
