import {
  ADMIN_COOKIE,
  ADMIN_SESSION_MS,
  type AppEnv,
  adminSession,
  assertSameOrigin,
  verifyAdminSession,
} from "@rushgate/service";
import { safeEqual } from "@rushgate/token";
import type { Hono, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { RouterDeps } from "../app";
import { isHttps } from "../identity";
import { ChangesPanel } from "./admin-changes";
import { SwitchesPanel } from "./admin-switches";
import { page } from "./event";
import { Layout, Notice, render } from "./layout";

export function SignInPage(props: { failed?: boolean }) {
  return (
    <Layout title="Operator sign-in">
      <p class="eyebrow">Operators</p>
      <h1>Sign in</h1>
      {props.failed ? (
        <Notice kind="bad" title="That token is not right.">
          Check it and try again.
        </Notice>
      ) : null}
      <form method="post" action="/admin/login" class="card">
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
          The <code>ADMIN_TOKEN</code> this platform was started with. You stay signed in for 12 hours on this
          browser.
        </p>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </Layout>
  );
}

export function DashboardPage(props: { threshold: number }) {
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
      </section>
    </Layout>
  );
}

/** `/admin`: sign in with the admin token (kept as an HttpOnly session cookie), then the dashboard. */
export function registerAdminPages(app: Hono<AppEnv>, deps: RouterDeps, secure: MiddlewareHandler) {
  const token = deps.env.ADMIN_TOKEN;

  app.get(
    "/admin",
    secure,
    page(async (c) => {
      if (!verifyAdminSession(token, getCookie(c, ADMIN_COOKIE))) return render(c, <SignInPage />);
      return render(c, <DashboardPage threshold={deps.gate.globalThreshold()} />);
    }),
  );

  app.post(
    "/admin/login",
    secure,
    page(async (c) => {
      assertSameOrigin(c);
      const form = await c.req.parseBody();
      const given = typeof form.token === "string" ? form.token.trim() : "";
      if (!given || !safeEqual(given, token)) {
        c.get("log").warn("admin sign-in refused");
        return render(c, <SignInPage failed />, 401);
      }
      const session = adminSession(token);
      setCookie(c, ADMIN_COOKIE, session.value, {
        path: "/admin",
        httpOnly: true,
        sameSite: "Strict",
        secure: isHttps(c),
        maxAge: Math.floor(ADMIN_SESSION_MS / 1000),
      });
      c.get("log").info("admin signed in");
      return c.redirect("/admin", 303);
    }),
  );

  app.post(
    "/admin/logout",
    secure,
    page(async (c) => {
      assertSameOrigin(c);
      deleteCookie(c, ADMIN_COOKIE, { path: "/admin", secure: isHttps(c) });
      return c.redirect("/admin", 303);
    }),
  );
}
