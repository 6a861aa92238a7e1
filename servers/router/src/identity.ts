import {
  createIdentityResolver,
  createJwtVerifier,
  type IdentityRequest,
  type IdentityResolver,
  UID_COOKIE,
} from "@rushgate/identity";
import { type AppEnv, assertSameOrigin, setRequestAuthorization } from "@rushgate/service";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { RouterEnv } from "./env";
import { type Budget, refuseOver, socketAddress } from "./rate-limit";

export { UID_COOKIE };

/** The admission token of one event, for browsers (SPEC §3). */
export const admissionCookie = (eventId: number) => `rg_adm_${eventId}`;

const UID_MAX_AGE_S = 365 * 24 * 3600;

/** The router's identity resolver, built once from its configuration (SPEC §2). */
export function createIdentity(env: RouterEnv): IdentityResolver {
  const jwt = env.IDENTITY_SOURCES.includes("jwt")
    ? createJwtVerifier({
        publicKey: env.IDENTITY_JWT_PUBLIC_KEY,
        jwksUrl: env.IDENTITY_JWKS_URL,
        issuer: env.IDENTITY_JWT_ISSUER,
        audience: env.IDENTITY_JWT_AUDIENCE,
        algorithms: env.IDENTITY_JWT_ALGORITHMS,
      })
    : undefined;
  return createIdentityResolver({
    sources: env.IDENTITY_SOURCES,
    secret: env.IDENTITY_SECRET,
    jwt,
    proxies: env.TRUSTED_PROXIES.blocks,
    anonymousSecret: env.ADMISSION_SECRET,
    header: env.IDENTITY_HEADER,
    cookie: env.IDENTITY_COOKIE,
  });
}

/** A hono request as the resolver reads it. */
export function identityRequest(c: Context): IdentityRequest {
  return {
    header: (name) => c.req.header(name),
    cookies: (name) => getCookie(c, name),
    remoteAddress: socketAddress(c),
  };
}

/** Cookies get `Secure` when the page was reached over HTTPS (directly or through a proxy). */
export function isHttps(c: Context): boolean {
  return c.req.url.startsWith("https:") || c.req.header("x-forwarded-proto") === "https";
}

function spendUser(budget: Budget | undefined, userId: string) {
  if (budget) refuseOver(budget.user(userId));
}

/**
 * API routes: the user is whoever the resolver says (SPEC §2), then spends the route's per-user
 * budget. SPEC §3: a browser carries its admission as the `rg_adm_<eventId>` cookie; on a route
 * with an event id, a request without `Authorization` has that cookie turned into
 * `Authorization: Bearer …` for the upstream; such a request, if unsafe, must come from this site.
 */
export function identify(identity: IdentityResolver, budget?: Budget): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const userId = await identity.resolve(identityRequest(c));
    spendUser(budget, userId);
    c.set("userId", userId);
    const eventId = c.req.param("eventId");
    if (eventId !== undefined && c.req.header("authorization") === undefined) {
      const token = getCookie(c, admissionCookie(Number(eventId)));
      if (token) {
        assertSameOrigin(c);
        setRequestAuthorization(c, `Bearer ${token}`);
      }
    }
    await next();
  };
}

/**
 * Pages: the user as for the API, except that a visitor with no identity (or a uid cookie this
 * site did not make) gets a fresh anonymous one when that source is on: random, signed, kept in
 * the `uid` cookie (HttpOnly, SameSite=Lax, a year long). Called inside a page handler, so that a
 * refusal is answered as a page.
 */
export async function browserUser(
  c: Context<AppEnv>,
  identity: IdentityResolver,
  budget?: Budget,
): Promise<string> {
  let userId = await identity.browser(identityRequest(c));
  if (userId === undefined) {
    const fresh = identity.newAnonymous();
    userId = fresh.userId;
    setCookie(c, UID_COOKIE, fresh.cookie, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: isHttps(c),
      maxAge: UID_MAX_AGE_S,
    });
  }
  spendUser(budget, userId);
  c.set("userId", userId);
  return userId;
}
