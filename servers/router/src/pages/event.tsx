import { ApiError, type CouponView, type EventView, eventIdSchema, type IssuedBody } from "@rushgate/api";
import { type AppEnv, assertSameOrigin } from "@rushgate/service";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { RouterDeps } from "../app";
import { admissionCookie, browserUser, isHttps } from "../identity";
import { enterEvent } from "../routes/entry";
import { errorCode, getEvent, myCoupons, type PageContext, upstreamJson } from "./data";
import { Layout, Notice, type NoticeProps, render, Time } from "./layout";
import { switchText } from "./switch-text";

export interface EventPageProps {
  event: EventView;
  /** Holds an admission for this event right now. */
  admitted: boolean;
  admissionExpiresAt?: string;
  coupons: CouponView[];
  /** The answer to the "Get coupon" form, when it was posted without JavaScript. */
  notice?: NoticeProps;
}

function CouponList({ coupons, eventId }: { coupons: CouponView[]; eventId: number }) {
  return (
    <section id="coupons" aria-labelledby="coupons-title" hidden={coupons.length === 0}>
      <h2 id="coupons-title">Your coupons</h2>
      <ul class="coupons" id="coupon-list">
        {coupons.map((c) => (
          <li>
            <span class="code">{c.couponId}</span>
            <div class="small muted">
              {c.eventId === eventId ? "This drop" : `Drop #${c.eventId}`} · <Time at={c.issuedAt} /> ·{" "}
              {c.state === "persisted" ? "confirmed" : "being confirmed"}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the page says before anyone presses a button. */
function standingNotice(props: EventPageProps): NoticeProps | undefined {
  const mine = props.coupons.find((c) => c.eventId === props.event.id);
  if (mine)
    return {
      kind: "ok",
      title: "Already issued.",
      children: `You already have a coupon for this drop (one per person): ${mine.couponId}. It is listed below.`,
    };
  if (props.event.status === "ended")
    return { kind: "bad", title: "This drop has ended.", children: "Have a look at the other drops." };
  if (props.event.status === "sold_out" || props.event.remaining <= 0)
    return {
      kind: "bad",
      title: "Sold out.",
      children: "Every coupon has been given out, so there is nothing more to do here. Sorry!",
    };
  return undefined;
}

/** `/events/:eventId` once admitted (or when there is nothing left to queue for). */
export function EventPage(props: EventPageProps) {
  const { event } = props;
  const mine = props.coupons.some((c) => c.eventId === event.id);
  const canIssue = props.admitted && !mine && event.status === "open";
  const notice = props.notice ?? standingNotice(props);
  return (
    <Layout title={event.name} script="event.js">
      <section id="event" data-event={String(event.id)}>
        <p class="eyebrow">{canIssue ? "You're in — it's your turn" : "Coupon drop"}</p>
        <h1>{event.name}</h1>
        <dl class="facts card">
          <dt>Opens</dt>
          <dd>
            <Time at={event.startsAt} />
          </dd>
          <dt>Closes</dt>
          <dd>
            <Time at={event.endsAt} />
          </dd>
          <dt>Coupons left</dt>
          <dd id="remaining">
            {event.remaining > 0 ? `${event.remaining} of ${event.stock} left` : "None left"}
          </dd>
          <dt>Per person</dt>
          <dd>One coupon</dd>
        </dl>
        {canIssue ? (
          <div id="issue">
            <p>
              Your turn is held until <Time at={props.admissionExpiresAt ?? event.endsAt} />. Press the button
              to take your coupon.
            </p>
            <form id="issue-form" method="post" action={`/events/${event.id}/issue`}>
              <button type="submit" class="primary">
                Get coupon
              </button>
            </form>
          </div>
        ) : null}
        <div id="result" role="status" aria-live="polite" class={notice ? `notice ${notice.kind}` : "notice"}>
          {notice ? (
            <>
              <strong>{notice.title}</strong>
              <p>
                {notice.children} {notice.kind === "bad" ? <a href="/">See other drops</a> : null}
                {notice.kind === "warn" ? <a href={`/events/${event.id}`}>Rejoin the line</a> : null}
              </p>
            </>
          ) : null}
        </div>
        <CouponList coupons={props.coupons} eventId={event.id} />
      </section>
    </Layout>
  );
}

/** Pages answer in HTML, errors included. */
export function NotFoundPage() {
  return (
    <Layout title="Not found">
      <h1>No such drop</h1>
      <p>
        This page does not exist, or the drop was removed. <a href="/">See the current drops</a>.
      </p>
    </Layout>
  );
}

export function ErrorPage(props: { title: string; detail: string; retry?: string }) {
  return (
    <Layout
      title={props.title}
      head={props.retry ? <meta http-equiv="refresh" content={`5;url=${props.retry}`} /> : undefined}
    >
      <Notice kind="warn" title={props.title}>
        {props.detail}
      </Notice>
      <p>
        <a href={props.retry ?? "/"}>{props.retry ? "Try again now" : "Back to the drops"}</a>
      </p>
    </Layout>
  );
}

export function pageContext(c: Context<AppEnv>): PageContext {
  return { requestId: c.get("requestId"), log: c.get("log") };
}

/** Page handlers throw ApiError like the API does; here they become HTML pages. */
export function page(handler: (c: Context<AppEnv>) => Promise<Response>) {
  return async (c: Context<AppEnv>) => {
    try {
      return await handler(c);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : undefined;
      if (code === "event_not_found" || code === "not_found" || code === "invalid_request")
        return render(c, <NotFoundPage />, 404);
      if (code === "forbidden")
        return render(
          c,
          <ErrorPage
            title="Refused"
            detail="This form was sent from another site, so it was not accepted."
          />,
          403,
        );
      if (code === "unauthorized" || code === "invalid_user")
        return render(
          c,
          <ErrorPage
            title="Please sign in"
            detail="We could not tell who you are: your sign-in is missing or has expired. Sign in on the site, then come back."
          />,
          code === "unauthorized" ? 401 : 400,
        );
      if (code === "too_many_requests") {
        if (err instanceof ApiError && err.retryAfter !== undefined)
          c.header("retry-after", String(err.retryAfter));
        return render(
          c,
          <ErrorPage
            title="Slow down"
            detail="This browser sent too many requests at once. This page tries again by itself in a few seconds."
            retry={c.req.method === "GET" ? c.req.path : "/"}
          />,
          429,
        );
      }
      if (code !== "service_unavailable") c.get("log").error({ err }, "page failed");
      return render(
        c,
        <ErrorPage
          title="We're very busy right now"
          detail="Part of the site did not answer. This page tries again by itself in a few seconds."
          retry={c.req.method === "GET" ? c.req.path : "/"}
        />,
        503,
      );
    }
  };
}

export function eventIdOf(c: Context): number {
  const parsed = eventIdSchema.safeParse(c.req.param("eventId"));
  if (!parsed.success) throw new ApiError("event_not_found", "no such event");
  return parsed.data;
}

/** Admission cookie (SPEC §3): HttpOnly, SameSite=Lax, Path=/, until the admission expires. */
export function setAdmissionCookie(c: Context, eventId: number, token: string, expiresAt: string) {
  const seconds = Math.max(1, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  setCookie(c, admissionCookie(eventId), token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    maxAge: seconds,
  });
}

const issueNotices = {
  already_issued: {
    kind: "ok",
    title: "Already issued.",
    children: "You already have a coupon for this drop (one per person). It is listed below.",
  },
  sold_out: {
    kind: "bad",
    title: "Sold out.",
    children: "Every coupon has been given out, so there is nothing more to do here. Sorry!",
  },
  not_admitted: {
    kind: "warn",
    title: "Your admission has expired.",
    children: "Your turn ran out before you took the coupon. Get back in line to try again:",
  },
  event_not_open: {
    kind: "bad",
    title: "This drop is not open.",
    children: "It has ended, or has not started yet.",
  },
} satisfies Record<string, NoticeProps>;

function isIssueRefusal(code: string | undefined): code is keyof typeof issueNotices {
  return code !== undefined && Object.hasOwn(issueNotices, code);
}

/** `/events/:eventId` (gated like the entry API) and its no-JavaScript "Get coupon" form. */
export function registerEventPage(app: Hono<AppEnv>, deps: RouterDeps, secure: MiddlewareHandler) {
  app.get(
    "/events/:eventId",
    secure,
    page(async (c) => {
      const eventId = eventIdOf(c);
      const userId = await browserUser(c, deps.identity, deps.budgets.entry);
      const ctx = pageContext(c);
      let admission: { token: string; expiresAt: string } | undefined;
      let closed: NoticeProps | undefined;
      try {
        const entry = await enterEvent(deps, eventId, userId);
        if (entry.status === 202) return c.redirect(`/queue/${eventId}`, 302);
        admission = entry.body;
      } catch (err) {
        // Sold out or ended: the page says so (and shows a coupon the user already has).
        const code = err instanceof ApiError ? err.code : undefined;
        if (code === "entry_closed")
          closed = { kind: "bad", title: switchText.closedTitle, children: switchText.closedDetail };
        else if (code !== "sold_out" && code !== "event_not_open") throw err;
      }
      if (admission) setAdmissionCookie(c, eventId, admission.token, admission.expiresAt);
      const [event, coupons] = await Promise.all([
        getEvent(deps.coupon, ctx, eventId),
        myCoupons(deps.coupon, ctx, userId),
      ]);
      if (!event) return render(c, <NotFoundPage />, 404);
      return render(
        c,
        <EventPage
          event={event}
          admitted={admission !== undefined}
          admissionExpiresAt={admission?.expiresAt}
          coupons={coupons}
          notice={closed}
        />,
      );
    }),
  );

  app.post(
    "/events/:eventId/issue",
    secure,
    page(async (c) => {
      assertSameOrigin(c);
      const eventId = eventIdOf(c);
      const userId = await browserUser(c, deps.identity, deps.budgets.issue);
      const ctx = pageContext(c);
      const token = getCookie(c, admissionCookie(eventId));
      let notice: NoticeProps = issueNotices.not_admitted;
      if (token) {
        const res = await upstreamJson<IssuedBody>(deps.coupon, ctx, {
          method: "POST",
          path: `/api/events/${eventId}/issue`,
          userId,
          authorization: `Bearer ${token}`,
        });
        const code = errorCode(res.body);
        if (res.status === 201)
          notice = {
            kind: "ok",
            title: `Issued! Your coupon is ${res.body.couponId}.`,
            children: "It is yours and saved to your account; you'll find it below. Nothing else to do.",
          };
        else if (code === "event_not_found") throw new ApiError(code, "no such event");
        else if (isIssueRefusal(code)) notice = issueNotices[code];
        else throw new ApiError("service_unavailable", "the coupon server did not answer");
      }
      const [event, coupons] = await Promise.all([
        getEvent(deps.coupon, ctx, eventId),
        myCoupons(deps.coupon, ctx, userId),
      ]);
      if (!event) return render(c, <NotFoundPage />, 404);
      const stillAdmitted = notice.kind === "warn" ? false : token !== undefined;
      return render(
        c,
        <EventPage event={event} admitted={stillAdmitted} coupons={coupons} notice={notice} />,
      );
    }),
  );
}
