import { ApiError, type CouponView, type EventView, eventIdSchema, type IssuedBody } from "@rushgate/api";
import { type AppEnv, assertSameOrigin } from "@rushgate/service";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { RouterDeps } from "../app";
import { admissionCookie, browserUser, isHttps } from "../identity";
import { enterEvent } from "../routes/entry";
import { errorCode, getEvent, myCoupons, type PageContext, upstreamJson } from "./data";
import { type I18n, type PageI18n, type PlainKey, pageI18n } from "./i18n";
import { Layout, Notice, type NoticeProps, render, Time } from "./layout";

export interface EventPageProps {
  event: EventView;
  /** Holds an admission for this event right now. */
  admitted: boolean;
  admissionExpiresAt?: string;
  coupons: CouponView[];
  /** The answer to the "Get coupon" form, when it was posted without JavaScript. */
  notice?: NoticeProps;
  m: PageI18n;
}

function CouponList({ coupons, eventId, m }: { coupons: CouponView[]; eventId: number; m: I18n }) {
  return (
    <section id="coupons" aria-labelledby="coupons-title" hidden={coupons.length === 0}>
      <h2 id="coupons-title">{m.t("event.yourCoupons")}</h2>
      <ul class="coupons" id="coupon-list">
        {coupons.map((c) => (
          <li>
            <span class="code">{c.couponId}</span>
            <div class="small muted">
              {c.eventId === eventId
                ? m.t("event.thisDrop")
                : m.t("event.otherDrop", { id: String(c.eventId) })}{" "}
              · <Time at={c.issuedAt} m={m} /> ·{" "}
              {c.state === "persisted" ? m.t("event.persisted") : m.t("event.pending")}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the page says before anyone presses a button. */
function standingNotice(props: EventPageProps): NoticeProps | undefined {
  const { m } = props;
  const mine = props.coupons.find((c) => c.eventId === props.event.id);
  if (mine)
    return {
      kind: "ok",
      title: m.t("event.already"),
      children: m.t("event.alreadyCode", { code: mine.couponId }),
    };
  if (props.event.status === "ended")
    return { kind: "bad", title: m.t("event.ended"), children: m.t("event.endedDetail") };
  if (props.event.status === "sold_out" || props.event.remaining <= 0)
    return notice(m, issueNotices.sold_out);
  return undefined;
}

/** `/events/:eventId` once admitted (or when there is nothing left to queue for). */
export function EventPage(props: EventPageProps) {
  const { event, m } = props;
  const mine = props.coupons.some((c) => c.eventId === event.id);
  const canIssue = props.admitted && !mine && event.status === "open";
  const notice = props.notice ?? standingNotice(props);
  return (
    <Layout title={event.name} script="event.js" i18n={m}>
      <section id="event" data-event={String(event.id)}>
        <p class="eyebrow">{canIssue ? m.t("event.eyebrowTurn") : m.t("event.eyebrow")}</p>
        <h1>{event.name}</h1>
        <dl class="facts card">
          <dt>{m.t("event.opens")}</dt>
          <dd>
            <Time at={event.startsAt} m={m} />
          </dd>
          <dt>{m.t("event.closes")}</dt>
          <dd>
            <Time at={event.endsAt} m={m} />
          </dd>
          <dt>{m.t("event.left")}</dt>
          <dd id="remaining">
            {event.remaining > 0
              ? m.t("event.remaining", { left: event.remaining, stock: event.stock })
              : m.t("event.noneLeft")}
          </dd>
          <dt>{m.t("event.perPerson")}</dt>
          <dd>{m.t("event.oneCoupon")}</dd>
        </dl>
        {canIssue ? (
          <div id="issue">
            <p>
              {m.rich("event.held", { time: <Time at={props.admissionExpiresAt ?? event.endsAt} m={m} /> })}
            </p>
            <form id="issue-form" method="post" action={`/events/${event.id}/issue`}>
              <button type="submit" class="primary">
                {m.t("event.getCoupon")}
              </button>
            </form>
          </div>
        ) : null}
        <div id="result" role="status" aria-live="polite" class={notice ? `notice ${notice.kind}` : "notice"}>
          {notice ? (
            <>
              <strong>{notice.title}</strong>
              <p>
                {notice.children} {notice.kind === "bad" ? <a href="/">{m.t("event.otherDrops")}</a> : null}
                {notice.kind === "warn" ? <a href={`/events/${event.id}`}>{m.t("event.rejoin")}</a> : null}
              </p>
            </>
          ) : null}
        </div>
        <CouponList coupons={props.coupons} eventId={event.id} m={m} />
      </section>
    </Layout>
  );
}

/** Pages answer in HTML, errors included. */
export function NotFoundPage({ m }: { m: PageI18n }) {
  return (
    <Layout title={m.t("error.notFoundTitle")} i18n={m}>
      <h1>{m.t("error.notFound")}</h1>
      <p>{m.rich("error.notFoundDetail", { link: <a href="/">{m.t("error.currentDrops")}</a> })}</p>
    </Layout>
  );
}

export function ErrorPage(props: { title: PlainKey; detail: PlainKey; retry?: string; m: PageI18n }) {
  const { m } = props;
  return (
    <Layout
      title={m.t(props.title)}
      head={props.retry ? <meta http-equiv="refresh" content={`5;url=${props.retry}`} /> : undefined}
      i18n={m}
    >
      <Notice kind="warn" title={m.t(props.title)}>
        {m.t(props.detail)}
      </Notice>
      <p>
        <a href={props.retry ?? "/"}>{props.retry ? m.t("error.retryNow") : m.t("error.backToDrops")}</a>
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
      const m = pageI18n(c, c.req.method === "GET" ? undefined : "/");
      if (code === "event_not_found" || code === "not_found" || code === "invalid_request")
        return render(c, <NotFoundPage m={m} />, 404);
      if (code === "forbidden")
        return render(c, <ErrorPage title="error.refused" detail="error.refusedDetail" m={m} />, 403);
      if (code === "unauthorized" || code === "invalid_user")
        return render(
          c,
          <ErrorPage title="error.signIn" detail="error.signInDetail" m={m} />,
          code === "unauthorized" ? 401 : 400,
        );
      if (code === "too_many_requests") {
        if (err instanceof ApiError && err.retryAfter !== undefined)
          c.header("retry-after", String(err.retryAfter));
        return render(
          c,
          <ErrorPage
            title="error.slowDown"
            detail="error.slowDownDetail"
            retry={c.req.method === "GET" ? c.req.path : "/"}
            m={m}
          />,
          429,
        );
      }
      if (code !== "service_unavailable") c.get("log").error({ err }, "page failed");
      return render(
        c,
        <ErrorPage
          title="error.busy"
          detail="error.busyDetail"
          retry={c.req.method === "GET" ? c.req.path : "/"}
          m={m}
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

interface NoticeText {
  kind: NoticeProps["kind"];
  title: PlainKey;
  detail: PlainKey;
}

const issueNotices = {
  already_issued: { kind: "ok", title: "event.already", detail: "event.alreadyDetail" },
  sold_out: { kind: "bad", title: "event.soldOut", detail: "event.soldOutDetail" },
  not_admitted: { kind: "warn", title: "event.expired", detail: "event.expiredDetail" },
  event_not_open: { kind: "bad", title: "event.notOpen", detail: "event.notOpenDetail" },
} satisfies Record<string, NoticeText>;

/** Entry closed by the operator (a kill switch): said on the event page as on the waiting room. */
const entryClosedNotice: NoticeText = { kind: "bad", title: "queue.closed", detail: "queue.closedDetail" };

function notice(m: I18n, text: NoticeText): NoticeProps {
  return { kind: text.kind, title: m.t(text.title), children: m.t(text.detail) };
}

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
      let entryClosed = false;
      try {
        const entry = await enterEvent(deps, eventId, userId);
        if (entry.status === 202) return c.redirect(`/queue/${eventId}`, 302);
        admission = entry.body;
      } catch (err) {
        // Sold out or ended: the page says so (and shows a coupon the user already has).
        const code = err instanceof ApiError ? err.code : undefined;
        if (code === "entry_closed") entryClosed = true;
        else if (code !== "sold_out" && code !== "event_not_open") throw err;
      }
      if (admission) setAdmissionCookie(c, eventId, admission.token, admission.expiresAt);
      const [event, coupons] = await Promise.all([
        getEvent(deps.coupon, ctx, eventId),
        myCoupons(deps.coupon, ctx, userId),
      ]);
      const m = pageI18n(c);
      if (!event) return render(c, <NotFoundPage m={m} />, 404);
      return render(
        c,
        <EventPage
          event={event}
          admitted={admission !== undefined}
          admissionExpiresAt={admission?.expiresAt}
          coupons={coupons}
          m={m}
          notice={entryClosed ? notice(m, entryClosedNotice) : undefined}
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
      // The switcher's links go to the event page itself: this address only answers a POST.
      const m = pageI18n(c, `/events/${eventId}`);
      let answer: NoticeProps = notice(m, issueNotices.not_admitted);
      if (token) {
        const res = await upstreamJson<IssuedBody>(deps.coupon, ctx, {
          method: "POST",
          path: `/api/events/${eventId}/issue`,
          userId,
          authorization: `Bearer ${token}`,
        });
        const code = errorCode(res.body);
        if (res.status === 201)
          answer = {
            kind: "ok",
            title: m.t("event.issued", { code: res.body.couponId }),
            children: m.t("event.issuedDetail"),
          };
        else if (code === "event_not_found") throw new ApiError(code, "no such event");
        else if (isIssueRefusal(code)) answer = notice(m, issueNotices[code]);
        else throw new ApiError("service_unavailable", "the coupon server did not answer");
      }
      const [event, coupons] = await Promise.all([
        getEvent(deps.coupon, ctx, eventId),
        myCoupons(deps.coupon, ctx, userId),
      ]);
      if (!event) return render(c, <NotFoundPage m={m} />, 404);
      const stillAdmitted = answer.kind === "warn" ? false : token !== undefined;
      return render(
        c,
        <EventPage event={event} admitted={stillAdmitted} coupons={coupons} notice={answer} m={m} />,
      );
    }),
  );
}
