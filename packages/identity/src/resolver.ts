import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { BlockList } from "node:net";
import { ApiError, USER_ID } from "@rushgate/api";
import {
  isIdentityToken,
  newAnonymousId,
  openAnonymousId,
  sealAnonymousId,
  verifyIdentityToken,
} from "./identity-token";
import type { JwtCheck, JwtVerifier } from "./jwt";
import { clientAddress, isTrusted } from "./proxies";
import { createVerifiedCache } from "./verified";

/**
 * Where a user id may come from (SPEC §2). `token`: an HMAC identity token from the site;
 * `jwt`: a JWT from the site; `proxy`: `X-User-Id` from a trusted proxy; `anonymous`: the signed
 * `uid` cookie the pages make; `plain`: `X-User-Id` or an unsigned `uid` cookie at face value
 * (development and tests only).
 */
export const IDENTITY_SOURCES = ["token", "jwt", "proxy", "anonymous", "plain"] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

export interface IdentityConfig {
  sources: readonly IdentitySource[];
  /** Verifies `token` identities (IDENTITY_SECRET). */
  secret?: string;
  /** Verifies `jwt` identities. */
  jwt?: JwtVerifier;
  /** Who may set X-User-Id (`proxy`) and append to X-Forwarded-For. */
  proxies: BlockList;
  /** Signs the `uid` cookie; rushgate's own, never shared with the site. */
  anonymousSecret: string;
  /** Where the site's identity is carried: a header and a cookie (the header wins). */
  header: string;
  cookie: string;
}

/** What the resolver reads: usable from hono and from a raw IncomingMessage alike. */
export interface IdentityRequest {
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The Cookie header, or a getter of one cookie by name. */
  cookies: string | undefined | ((name: string) => string | undefined);
  /** The socket's peer address. */
  remoteAddress: string | undefined;
}

export const UID_COOKIE = "uid";

type Found = string | Promise<string>;
/** No identity was given (or only a uid cookie this site did not make). */
interface Missing {
  missing: true;
  badUid: boolean;
}

function cookieOf(req: IdentityRequest, name: string): string | undefined {
  const { cookies } = req;
  if (typeof cookies === "function") return cookies(name);
  if (!cookies) return undefined;
  for (const pair of cookies.split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim();
      return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}

const unauthorized = (message: string) => new ApiError("unauthorized", message);
const invalidUser = () => new ApiError("invalid_user", "X-User-Id must be 1-64 characters of [A-Za-z0-9_-]");

function refusal(reason: Exclude<JwtCheck, { ok: true }>["reason"]): ApiError {
  if (reason === "unavailable")
    return new ApiError("service_unavailable", "identity keys are unavailable, try again shortly");
  if (reason === "expired") return unauthorized("the identity has expired: sign in again");
  return unauthorized("the identity is not valid: sign in again");
}

export function createIdentityResolver(config: IdentityConfig) {
  const has = (s: IdentitySource) => config.sources.includes(s);
  const uidKey = createHmac("sha256", config.anonymousSecret).update("rushgate uid cookie").digest();

  // Every poll of a user carries the same token: its HMAC is checked once (verified.ts).
  const tokens = createVerifiedCache(50_000);

  function fromToken(token: string): Found {
    if (isIdentityToken(token)) {
      if (!has("token") || !config.secret) throw unauthorized("identity tokens are not accepted here");
      const now = Date.now();
      const hit = tokens.get(token, now);
      const check = hit ?? verifyIdentityToken(config.secret, token, now);
      if (!check.ok) throw refusal(check.reason);
      if (!hit) tokens.set(token, { userId: check.userId, expiresAt: check.expiresAt });
      return check.userId;
    }
    const jwt = config.jwt;
    if (!has("jwt") || !jwt) throw unauthorized("the identity is not valid: sign in again");
    const hit = jwt.cached(token);
    if (hit) {
      if (hit.ok) return hit.userId;
      throw refusal(hit.reason);
    }
    return jwt.verify(token).then((check) => {
      if (check.ok) return check.userId;
      throw refusal(check.reason);
    });
  }

  /** The identity of a request, in order: proxy/plain X-User-Id, site identity, uid cookie. */
  function find(req: IdentityRequest): Found | Missing {
    const plainId = req.header("x-user-id");
    if (plainId !== undefined) {
      if (!has("plain") && !(has("proxy") && isTrusted(config.proxies, req.remoteAddress)))
        throw unauthorized("X-User-Id is accepted only from a trusted proxy: send a signed identity");
      if (!USER_ID.test(plainId)) throw invalidUser();
      return plainId;
    }
    const token = req.header(config.header) ?? cookieOf(req, config.cookie);
    if (token !== undefined && token !== "") return fromToken(token);
    const uid = cookieOf(req, UID_COOKIE);
    if (uid === undefined || (!has("anonymous") && !has("plain"))) return { missing: true, badUid: false };
    const signed = has("anonymous") ? openAnonymousId(uidKey, uid) : undefined;
    if (signed) return signed;
    if (has("plain") && USER_ID.test(uid)) return uid;
    return { missing: true, badUid: true };
  }

  const isMissing = (found: Found | Missing): found is Missing =>
    typeof found === "object" && "missing" in found;

  return {
    /**
     * The request's user id, or an ApiError: `400 invalid_user` (malformed, or nothing when plain
     * ids are allowed), `401 unauthorized` (missing, forged, expired or untrusted), `503` when a
     * JWKS cannot be fetched. Synchronous except while a JWT is verified for the first time.
     */
    resolve(req: IdentityRequest): Found {
      const found = find(req);
      if (!isMissing(found)) return found;
      if (found.badUid) throw unauthorized("the uid cookie was not made by this site");
      if (has("plain")) throw invalidUser();
      throw unauthorized("no identity: sign in first");
    },

    /**
     * The user id when it is known at once and valid, else undefined (never throws): for a raw
     * fast path that hands everything else to the app, which answers it.
     */
    peek(req: IdentityRequest): string | undefined {
      try {
        const found = find(req);
        if (typeof found === "string") return found;
        // A first JWT check: let it warm the cache for the app, which answers this request.
        if (found instanceof Promise) found.catch(() => undefined);
        return undefined;
      } catch {
        return undefined;
      }
    },

    /** Pages: like resolve, but undefined when the page should make an anonymous id. */
    browser(req: IdentityRequest): Found | undefined {
      const found = find(req);
      if (!isMissing(found)) return found;
      if (has("anonymous")) return undefined;
      throw unauthorized("no identity: sign in first");
    },

    /** A fresh anonymous id and the signed `uid` cookie value that carries it. */
    newAnonymous(): { userId: string; cookie: string } {
      const userId = newAnonymousId();
      return { userId, cookie: sealAnonymousId(uidKey, userId) };
    },

    /** The client's address for rate limits (see clientAddress). */
    address(forwardedFor: string | undefined, remoteAddress: string | undefined): string {
      return clientAddress(config.proxies, forwardedFor, remoteAddress);
    },
  };
}

export type IdentityResolver = ReturnType<typeof createIdentityResolver>;

/** A raw Node request as the resolver reads it (for fast paths that bypass hono). */
export function incomingRequest(req: IncomingMessage): IdentityRequest {
  return {
    header(name) {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    cookies: req.headers.cookie,
    remoteAddress: req.socket.remoteAddress,
  };
}
