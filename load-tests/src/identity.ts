import { mintIdentityToken } from "@rushgate/identity";

/**
 * Who a simulated user is, as a signed-in user's browser says it: an identity token
 * (`X-Identity-Token: id1.<userId>.<expiresAtMs>.<sig>`, packages/identity), signed with the
 * router's IDENTITY_SECRET. Production routers refuse a plain X-User-Id.
 */
export const IDENTITY_HEADER = "x-identity-token";

/** The router's development default (servers/router/src/env.ts), for `pnpm load --url` at a dev stack. */
export const DEV_IDENTITY_SECRET = "dev-identity-secret-not-for-production";

/** Longer than any run. */
const VALID_FOR_MS = 24 * 3_600_000;

/** The identity header of one user, minted once: a user keeps it for its whole journey. */
export function identityHeaders(secret: string, userId: string): Record<string, string> {
  return { [IDENTITY_HEADER]: mintIdentityToken(secret, { userId, expiresAt: Date.now() + VALID_FOR_MS }) };
}
