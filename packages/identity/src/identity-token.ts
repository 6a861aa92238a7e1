import { randomBytes } from "node:crypto";
import { USER_ID } from "@rushgate/api";
import { openParts, sealParts } from "@rushgate/token";

/**
 * Identity tokens (SPEC §2, "signed by the site"): `id1.<userId>.<expiresAtMs>.<sig>`, sig being
 * the base64url HMAC-SHA256, keyed with `IDENTITY_SECRET`, of everything before it. The same
 * shape as an admission token (@rushgate/token) under its own version tag and secret, so
 * neither can stand in for the other. URL- and cookie-safe.
 */
const VERSION = "id1";

export type IdentityCheck =
  | { ok: true; userId: string; expiresAt: number }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/** Mints an identity token, as the site's login does (and tests and load tools). */
export function mintIdentityToken(secret: string, identity: { userId: string; expiresAt: number }): string {
  if (!USER_ID.test(identity.userId)) throw new Error("user ids are 1-64 characters of [A-Za-z0-9_-]");
  return sealParts(secret, [VERSION, identity.userId, String(Math.floor(identity.expiresAt))]);
}

export function isIdentityToken(token: string): boolean {
  return token.startsWith(`${VERSION}.`);
}

export function verifyIdentityToken(secret: string, token: string, now: number): IdentityCheck {
  const opened = openParts(secret, token, VERSION, 3);
  if (!opened.ok) return opened;
  const [, userId, expiresAt] = opened.parts as [string, string, string];
  if (!USER_ID.test(userId) || !/^\d{1,16}$/.test(expiresAt)) return { ok: false, reason: "malformed" };
  const exp = Number(expiresAt);
  if (exp <= now) return { ok: false, reason: "expired" };
  return { ok: true, userId, expiresAt: exp };
}

/**
 * Anonymous ids (SPEC §2): 128 random bits, kept in the `uid` cookie as `uid1.<id>.<sig>`,
 * signed by rushgate itself so that nobody can pick another's id. No expiry: the cookie's own
 * lifetime bounds it.
 */
const UID_VERSION = "uid1";

export function newAnonymousId(): string {
  return randomBytes(16).toString("base64url");
}

export function sealAnonymousId(key: string | Buffer, userId: string): string {
  return sealParts(key, [UID_VERSION, userId]);
}

/** The id in a signed `uid` cookie value; undefined when it is unsigned, forged or malformed. */
export function openAnonymousId(key: string | Buffer, value: string): string | undefined {
  const opened = openParts(key, value, UID_VERSION, 2, 128);
  if (!opened.ok) return undefined;
  const userId = opened.parts[1] as string;
  return USER_ID.test(userId) ? userId : undefined;
}
