import { createPublicKey } from "node:crypto";
import { USER_ID } from "@rushgate/api";
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { createVerifiedCache } from "./verified";

export interface JwtOptions {
  /** The site's public key, PEM (SPKI); or */
  publicKey?: string;
  /** the site's JWKS document, fetched and cached by jose. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  algorithms?: string[];
  /** How many verified tokens to remember (each until it expires). */
  cacheSize?: number;
}

export type JwtCheck =
  | { ok: true; userId: string; expiresAt: number }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "foreign" | "unavailable" };

const DEFAULT_ALGORITHMS = ["RS256", "PS256", "ES256", "ES384", "EdDSA"];
const MAX_TOKEN_LENGTH = 4096;

function reasonOf(err: unknown): Exclude<JwtCheck, { ok: true }>["reason"] {
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed) return "foreign";
  if (err instanceof errors.JWKSTimeout) return "unavailable";
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey)
    return "bad_signature";
  if (err instanceof errors.JOSEError) return "malformed";
  // Not jose's own: the JWKS URL could not be fetched.
  return "unavailable";
}

/**
 * JWTs from the site's login, verified with jose against its public key or JWKS; the user id is
 * `sub`, and `exp` is required (a short-lived identity). A verified token is remembered until it
 * expires, so a client polling every 300 ms costs one signature check, not one per poll. The
 * cache is bounded: past `cacheSize` entries the oldest is forgotten (and verified again if seen).
 */
export function createJwtVerifier(options: JwtOptions) {
  const key: JWTVerifyGetKey | ReturnType<typeof createPublicKey> = options.publicKey
    ? createPublicKey(options.publicKey)
    : createRemoteJWKSet(new URL(options.jwksUrl ?? ""));
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms ?? DEFAULT_ALGORITHMS,
    requiredClaims: ["sub", "exp"],
  };
  const verified = createVerifiedCache(options.cacheSize ?? 50_000);
  const pending = new Map<string, Promise<JwtCheck>>();

  async function check(token: string): Promise<JwtCheck> {
    try {
      const { payload } =
        typeof key === "function"
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions);
      if (typeof payload.sub !== "string" || !USER_ID.test(payload.sub))
        return { ok: false, reason: "malformed" };
      const expiresAt = (payload.exp as number) * 1000;
      verified.set(token, { userId: payload.sub, expiresAt });
      return { ok: true, userId: payload.sub, expiresAt };
    } catch (err) {
      return { ok: false, reason: reasonOf(err) };
    }
  }

  return {
    /** The answer for a token verified before and not expired yet; undefined otherwise. */
    cached(token: string, now = Date.now()): JwtCheck | undefined {
      return verified.get(token, now);
    },
    /** Verifies a token (at most one check in flight per token). */
    verify(token: string): Promise<JwtCheck> {
      if (token.length > MAX_TOKEN_LENGTH) return Promise.resolve({ ok: false, reason: "malformed" });
      let running = pending.get(token);
      if (!running) {
        running = check(token).finally(() => pending.delete(token));
        pending.set(token, running);
      }
      return running;
    },
    get size() {
      return verified.size;
    },
  };
}

export type JwtVerifier = ReturnType<typeof createJwtVerifier>;
