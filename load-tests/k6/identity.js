// Identity tokens as the site mints them for a signed-in user (packages/identity, SPEC §2):
// `id1.<userId>.<expiresAtMs>.<sig>`, sig being the HMAC-SHA256 of `id1.<userId>.<expiresAtMs>`
// keyed with the router's IDENTITY_SECRET, in base64url without padding. A production router
// refuses a plain X-User-Id; every k6 user sends `X-Identity-Token` instead.
import { hmac } from "k6/crypto";

export const IDENTITY_HEADER = "X-Identity-Token";

/** The router's development default (servers/router/src/env.ts); set IDENTITY_SECRET for any other. */
export const DEV_IDENTITY_SECRET = "dev-identity-secret-not-for-production";

/**
 * @param {string} secret     the router's IDENTITY_SECRET
 * @param {string} userId     1-64 characters of [A-Za-z0-9_-]
 * @param {number} expiresAt  epoch milliseconds
 * @returns {string}
 */
export function identityToken(secret, userId, expiresAt) {
  const payload = `id1.${userId}.${Math.floor(expiresAt)}`;
  return `${payload}.${hmac("sha256", secret, payload, "base64rawurl")}`;
}
