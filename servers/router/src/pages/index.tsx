import type { AppEnv } from "@rushgate/service";
import type { Hono } from "hono";
import { every } from "hono/combine";
import { secureHeaders } from "hono/secure-headers";
import type { RouterDeps } from "../app";
import { browserUser } from "../identity";
import { registerAdminPages } from "./admin";
import { assets } from "./assets";
import { listEvents } from "./data";
import { page, pageContext, registerEventPage } from "./event";
import { HomePage } from "./home";
import { languages, pageI18n } from "./i18n";
import { render } from "./layout";
import { registerQueuePage } from "./queue";

/**
 * Security headers of every page and asset. Scripts and styles come only from /assets (no inline
 * code, so no nonce is needed); the Referrer-Policy keeps same-origin Referer and Origin intact,
 * which the CSRF check reads.
 */
export const pageHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: "same-origin",
    xFrameOptions: "DENY",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });

/** The browser experience (SPEC §6 "Pages"): server-rendered with hono/jsx, small vanilla scripts. */
export function registerPages(app: Hono<AppEnv>, deps: RouterDeps) {
  const secure = pageHeaders();
  // The public pages speak the reader's language; the admin pages are English only.
  const localized = every(secure, languages());

  app.get("/assets/:name", secure, (c) => {
    const name = c.req.param("name");
    const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) return c.text("not found", 404);
    c.header("content-type", asset.type);
    // URLs carry the content hash (?v=), so a file can be kept for good.
    c.header("cache-control", c.req.query("v") ? "public, max-age=31536000, immutable" : "no-cache");
    return c.body(asset.body);
  });

  app.get(
    "/",
    localized,
    page(async (c) => {
      // The first page visit makes the anonymous id (when that source is on); the list itself
      // needs no identity, so a visitor who has not signed in yet still sees it.
      if (deps.env.IDENTITY_SOURCES.includes("anonymous"))
        await browserUser(c, deps.identity, deps.budgets.pages);
      const events = await listEvents(deps.coupon, pageContext(c)).catch(() => null);
      return render(c, <HomePage events={events} m={pageI18n(c)} />, events === null ? 503 : 200);
    }),
  );

  registerEventPage(app, deps, localized);
  registerQueuePage(app, deps, localized);
  registerAdminPages(app, deps, secure);
}
