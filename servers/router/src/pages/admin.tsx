import { operatorNameSchema } from "@rushgate/api";
import {
  ADMIN_COOKIE,
  ADMIN_SESSION_MS,
  type AdminActor,
  type AppEnv,
  assertSameOrigin,
  recordSafely,
} from "@rushgate/service";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { RouterDeps } from "../app";
import { isHttps } from "../identity";
import { AdminAuditSection } from "./admin-audit";
import { ChangesPanel } from "./admin-changes";
import { SwitchesPanel } from "./admin-switches";
import { page } from "./event";
import { Layout, Notice, render } from "./layout";

export function SignInPage(props: { failed?: "token" | "operator"; operator?: string }) {
  return (
    <Layout title="Operator sign-in">
      <p class="eyebrow">Operators</p>
      <h1>Sign in</h1>
      {props.failed === "token" ? (
        <Notice kind="bad" title="That token is not right.">
          Check it and try again: it may have been revoked.
        </Notice>
      ) : null}
      {props.failed === "operator" ? (
        <Notice kind="bad" title="Say who you are.">
          Your name: 1 to 64 letters, digits, spaces or . _ @ -
        </Notice>
      ) : null}
      <form method="post" action="/admin/login" class="card">
        <label for="operator">Your name</label>
        <input
          id="operator"
          name="operator"
          autocomplete="username"
          required
          maxlength={64}
          value={props.operator ?? ""}
          aria-describedby="operator-help"
        />
        <p id="operator-help" class="small muted">
          Shown in the audit trail next to everything you change.
        </p>
        <label for="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          aria-describedby="token-help"
        />
        <p id="token-help" class="small muted">
          A named admin token (or the <code>ADMIN_TOKEN</code> this platform was started with). You stay
          signed in for 12 hours on this browser, or until the token is revoked.
        </p>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </Layout>
  );
}

export function DashboardPage(props: { threshold: number; actor: AdminActor }) {
  return (
    <Layout
      title="Operator dashboard"
      script="admin.js"
      wide
      nav={
        <form method="post" action="/admin/logout">
          <button type="submit">Sign out</button>
        </form>
      }
    >
      <section id="admin">
        <div class="row">
          <div>
            <p class="eyebrow">Operators</p>
            <h1>Dashboard</h1>
          </div>
          <form id="threshold-form" class="inline">
            <div>
              <label for="rpm">Threshold, entries per minute</label>
              <input
                id="rpm"
                name="rpmThreshold"
                type="number"
                min={0}
                step={1}
                value={props.threshold}
                required
                aria-describedby="threshold-help"
              />
            </div>
            <button type="submit">Save threshold</button>
            <p id="threshold-help" class="small muted">
              Above it, new arrivals wait in line (events without their own). Now{" "}
              <b id="current-threshold">{props.threshold}</b>; 0 queues everyone.
            </p>
          </form>
        </div>
        <div id="threshold-msg" role="status" class="notice small" />
        <h2>Live events</h2>
        <p id="updated" class="small muted" role="status">
          Loading live stats…
        </p>
        <noscript>
          <p class="notice warn">The dashboard needs JavaScript for its forms and live stats.</p>
        </noscript>
        <p id="live-empty" class="card" hidden>
          No open or upcoming events.
        </p>
        <div id="live" class="grid" />
        <SwitchesPanel />
        <details class="card">
          <summary>
            <h2 id="event-title">New event</h2>
          </summary>
          <form id="event-form" aria-labelledby="event-title">
            <div class="grid">
              <div>
                <label for="ev-name">Name</label>
                <input id="ev-name" name="name" required maxlength={200} />
              </div>
              <div>
                <label for="ev-stock">Coupons (stock)</label>
                <input id="ev-stock" name="stock" type="number" min={1} value={100} required />
              </div>
              <div>
                <label for="ev-starts">Opens (your time)</label>
                <input id="ev-starts" name="startsAt" type="datetime-local" required />
              </div>
              <div>
                <label for="ev-ends">Closes (your time)</label>
                <input id="ev-ends" name="endsAt" type="datetime-local" required />
              </div>
              <div>
                <label for="ev-rpm">Own threshold, entries per minute (optional)</label>
                <input id="ev-rpm" name="rpmThreshold" type="number" min={0} />
              </div>
            </div>
            <p>
              <button type="submit">Create event</button>
            </p>
            <div id="event-msg" role="status" class="notice small" />
          </form>
        </details>
        <ChangesPanel />
        <AdminAuditSection actor={props.actor} />
      </section>
    </Layout>
  );
}

/** The dashboard's session of this request, or null (a lost Redis copy counts as signed out). */
async function sessionOf(c: Context<AppEnv>, deps: RouterDeps): Promise<AdminActor | null> {
  return deps.adminAuth.session(getCookie(c, ADMIN_COOKIE)).catch(() => null);
}

/**
 * `/admin`: sign in with a named admin token and an operator name (kept as an HttpOnly session
 * cookie that names both, never holding the token), then the dashboard. Sign-ins, refused ones
 * and sign-outs go to the audit trail.
 */
export function registerAdminPages(app: Hono<AppEnv>, deps: RouterDeps, secure: MiddlewareHandler) {
  const audit = (
    c: Context<AppEnv>,
    actor: AdminActor | null,
    action: string,
    status: number,
    after: unknown,
  ) =>
    recordSafely(c, deps.audit, {
      token: actor?.token ?? null,
      operator: actor?.operator ?? null,
      action,
      target: c.req.path,
      params: null,
      before: null,
      after,
      status,
      requestId: c.get("requestId"),
      source: "router",
    });

  app.get(
    "/admin",
    secure,
    page(async (c) => {
      const actor = await sessionOf(c, deps);
      if (!actor) return render(c, <SignInPage />);
      return render(c, <DashboardPage threshold={deps.gate.globalThreshold()} actor={actor} />);
    }),
  );

  app.post(
    "/admin/login",
    secure,
    page(async (c) => {
      assertSameOrigin(c);
      const form = await c.req.parseBody();
      const given = typeof form.token === "string" ? form.token.trim() : "";
      const operator = operatorNameSchema.safeParse(typeof form.operator === "string" ? form.operator : "");
      const typed = typeof form.operator === "string" ? form.operator.slice(0, 64) : "";
      if (!operator.success) return render(c, <SignInPage failed="operator" operator={typed} />, 400);
      const actor = given ? await deps.adminAuth.bearer(given).catch(() => null) : null;
      if (!actor) {
        c.get("log").warn("admin sign-in refused");
        await audit(c, null, "sign-in", 401, { operator: operator.data });
        return render(c, <SignInPage failed="token" operator={operator.data} />, 401);
      }
      const session = deps.adminAuth.newSession(given, operator.data);
      setCookie(c, ADMIN_COOKIE, session.value, {
        path: "/admin",
        httpOnly: true,
        sameSite: "Strict",
        secure: isHttps(c),
        maxAge: Math.floor(ADMIN_SESSION_MS / 1000),
      });
      c.get("log").info({ tokenName: actor.token, operator: operator.data }, "admin signed in");
      await audit(c, { token: actor.token, operator: operator.data }, "sign-in", 303, null);
      return c.redirect("/admin", 303);
    }),
  );

  app.post(
    "/admin/logout",
    secure,
    page(async (c) => {
      assertSameOrigin(c);
      const actor = await sessionOf(c, deps);
      deleteCookie(c, ADMIN_COOKIE, { path: "/admin", secure: isHttps(c) });
      if (actor) await audit(c, actor, "sign-out", 303, null);
      return c.redirect("/admin", 303);
    }),
  );
}
