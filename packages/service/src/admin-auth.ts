import { createHash, createHmac, randomBytes } from "node:crypto";
import { ApiError } from "@rushgate/api";
import { openParts, safeEqual, sealParts } from "@rushgate/token";

/** The name `ADMIN_TOKEN` goes by in the audit trail; it cannot be revoked, only rotated. */
export const BOOTSTRAP_TOKEN_NAME = "bootstrap";

/** The cookie of a signed-in operator (the admin pages); HttpOnly, SameSite=Strict, Path=/admin. */
export const ADMIN_COOKIE = "rg_admin";

/** How long an admin sign-in lasts. */
export const ADMIN_SESSION_MS = 12 * 3600_000;

/**
 * Who an admin request is: the token's name, and the operator name given at sign-in when it came
 * from the dashboard's session.
 */
export interface AdminActor {
  token: string;
  operator: string | null;
}

/** Redis's copy of the live named tokens (@rushgate/redis adminTokenStore). */
export interface AdminTokenLookup {
  find(tokenHash: string): Promise<{ name: string } | { name: null; warm: boolean }>;
  used(name: string, at: number): Promise<void>;
}

const NAMED_PREFIX = "rga_";
/** How long the router's word on who is calling is good for on the server behind it. */
const ASSERTION_MS = 60_000;
const USE_WRITE_MS = 10_000;
const RELOAD_MS = 1000;

export function hashAdminToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new named token: 256 random bits, shown once, stored only as its hash. */
export function newAdminToken(): { token: string; tokenHash: string } {
  const token = `${NAMED_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashAdminToken(token) };
}

/** "ops-alice (token oncall)" or "oncall": how an actor is shown. */
export function actorLabel(actor: AdminActor): string {
  return actor.operator ? `${actor.operator} (token ${actor.token})` : actor.token;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64 = (s: string) => Buffer.from(s, "base64url").toString("utf8");

/**
 * Admin authentication shared by the router and the coupon server. `ADMIN_TOKEN` is compared in
 * constant time and is the key of everything signed here (sessions, the router's actor header),
 * so rotating it ends every session. A named token is hashed and looked up in Redis (one HMGET):
 * revoking it is seen by every instance at its next request.
 */
export function createAdminAuth(options: {
  bootstrapToken: string;
  tokens: AdminTokenLookup;
  /**
   * Refills Redis's copy from MySQL when it is gone (a Redis restart: it keeps nothing on disk
   * here). Asked for when a lookup finds the copy missing, so nothing polls for it.
   */
  reload?: () => Promise<void>;
}) {
  const { bootstrapToken, tokens, reload } = options;
  const sessionKey = createHmac("sha256", bootstrapToken).update("rushgate-admin-session").digest();
  const assertionKey = createHmac("sha256", bootstrapToken).update("rushgate-admin-actor").digest();
  const recordKey = createHmac("sha256", bootstrapToken).update("rushgate-audit-record").digest();
  const lastWrite = new Map<string, number>();

  function noteUse(name: string) {
    const now = Date.now();
    if (now - (lastWrite.get(name) ?? 0) < USE_WRITE_MS) return;
    lastWrite.set(name, now);
    tokens.used(name, now).catch(() => lastWrite.delete(name));
  }

  let reloading: Promise<void> | undefined;
  let reloadedAt = 0;
  /** One reload at a time, at most one a second, whatever the number of requests asking. */
  function reloadOnce(): Promise<void> {
    if (!reload || (!reloading && Date.now() - reloadedAt < RELOAD_MS)) return Promise.resolve();
    reloading ??= reload()
      // A failed reload leaves the copy missing: the caller answers 503 and a later request retries.
      .catch(() => {})
      .finally(() => {
        reloading = undefined;
        reloadedAt = Date.now();
      });
    return reloading;
  }

  /** The live name of a token hash, or null; 503 while Redis has lost its copy. */
  async function nameOf(tokenHash: string): Promise<string | null> {
    let found = await tokens.find(tokenHash);
    if (found.name === null && !found.warm) {
      await reloadOnce();
      found = await tokens.find(tokenHash);
    }
    if (found.name !== null) return found.name;
    if (!found.warm)
      throw new ApiError("service_unavailable", "admin tokens are being reloaded, try again shortly", {
        retryAfter: 1,
      });
    return null;
  }

  return {
    /** Who `Authorization: Bearer <token>` is, or null when it is no live token. */
    async bearer(token: string): Promise<AdminActor | null> {
      if (safeEqual(token, bootstrapToken)) return { token: BOOTSTRAP_TOKEN_NAME, operator: null };
      if (!token.startsWith(NAMED_PREFIX) || token.length > 100) return null;
      const name = await nameOf(hashAdminToken(token));
      if (name) noteUse(name);
      return name ? { token: name, operator: null } : null;
    },

    /** The session cookie of an operator who signed in with `token` (already verified). */
    newSession(token: string, operator: string, now = Date.now()) {
      const ref = safeEqual(token, bootstrapToken) ? BOOTSTRAP_TOKEN_NAME : hashAdminToken(token);
      const expiresAt = now + ADMIN_SESSION_MS;
      return { value: sealParts(sessionKey, ["s2", String(expiresAt), ref, b64(operator)]), expiresAt };
    },

    /**
     * Who a session cookie is: `s2.<expiresAt>.<token hash | bootstrap>.<operator>.<sig>`. It holds
     * the token's hash, never the token, and dies when that token is revoked.
     */
    async session(value: string | undefined, now = Date.now()): Promise<AdminActor | null> {
      if (!value) return null;
      const opened = openParts(sessionKey, value, "s2", 4, 512);
      if (!opened.ok) return null;
      const [, expiresAt, ref, operator] = opened.parts as [string, string, string, string];
      if (!(Number(expiresAt) > now) || operator === "") return null;
      const name = ref === BOOTSTRAP_TOKEN_NAME ? ref : await nameOf(ref);
      if (name && name !== BOOTSTRAP_TOKEN_NAME) noteUse(name);
      return name ? { token: name, operator: unb64(operator) } : null;
    },

    /** The router's signed word on who is calling, for the server it forwards to. */
    assertion(actor: AdminActor, now = Date.now()): string {
      return sealParts(assertionKey, [
        "act1",
        actor.token,
        b64(actor.operator ?? ""),
        String(now + ASSERTION_MS),
      ]);
    },

    fromAssertion(value: string, now = Date.now()): AdminActor | null {
      const opened = openParts(assertionKey, value, "act1", 4, 512);
      if (!opened.ok) return null;
      const [, token, operator, expiresAt] = opened.parts as [string, string, string, string];
      if (!(Number(expiresAt) > now) || token === "") return null;
      return { token, operator: operator === "" ? null : unb64(operator) };
    },

    /** Signs an audit entry the router sends to a coupon server to be written to MySQL. */
    signRecord(body: string): string {
      return createHmac("sha256", recordKey).update(body).digest("base64url");
    },

    verifyRecord(body: string, signature: string | undefined): boolean {
      return signature !== undefined && safeEqual(signature, this.signRecord(body));
    },
  };
}

export type AdminAuth = ReturnType<typeof createAdminAuth>;
