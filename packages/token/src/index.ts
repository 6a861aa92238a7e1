import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Admission tokens (SPEC §3): `v1.<eventId>.<userId>.<expiresAtMs>.<sig>`, where sig is the
 * base64url HMAC-SHA256 of everything before it. User ids never contain a dot, so the split is
 * unambiguous; the whole token is URL- and cookie-safe. Verification needs no Redis call.
 */
export interface Admission {
  eventId: number;
  userId: string;
  expiresAt: number;
}

export type VerifyResult = { ok: true; admission: Admission } | { ok: false; reason: string };

const VERSION = "v1";

function sign(secret: string | Buffer, payload: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/**
 * The shape every rushgate token shares: dot-separated fields (none containing a dot), then the
 * base64url HMAC-SHA256 of everything before it. The first field names the kind and version, so
 * one kind of token is never read as another.
 */
export function sealParts(secret: string | Buffer, parts: readonly string[]): string {
  const payload = parts.join(".");
  return `${payload}.${sign(secret, payload).toString("base64url")}`;
}

export type OpenResult = { ok: true; parts: string[] } | { ok: false; reason: "malformed" | "bad_signature" };

/** The fields of a sealed token of `count` fields whose first is `version`, if its signature holds. */
export function openParts(
  secret: string | Buffer,
  token: string,
  version: string,
  count: number,
  maxLength = 256,
): OpenResult {
  if (token.length > maxLength) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== count + 1 || parts[0] !== version) return { ok: false, reason: "malformed" };
  const given = Buffer.from(parts[count] as string, "base64url");
  const wanted = sign(secret, parts.slice(0, count).join("."));
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: "bad_signature" };
  }
  return { ok: true, parts: parts.slice(0, count) };
}

export function mintToken(secret: string, admission: Admission): string {
  return sealParts(secret, [
    VERSION,
    String(admission.eventId),
    admission.userId,
    String(Math.floor(admission.expiresAt)),
  ]);
}

export function verifyToken(
  secret: string,
  token: string,
  expected: { eventId: number; userId: string; now: number },
): VerifyResult {
  const opened = openParts(secret, token, VERSION, 4);
  if (!opened.ok) return opened;
  const [, eventId, userId, expiresAt] = opened.parts as [string, string, string, string];
  if (Number(eventId) !== expected.eventId || userId !== expected.userId) {
    return { ok: false, reason: "foreign" };
  }
  const exp = Number(expiresAt);
  if (!Number.isSafeInteger(exp) || exp <= expected.now) return { ok: false, reason: "expired" };
  return { ok: true, admission: { eventId: expected.eventId, userId, expiresAt: exp } };
}

/** Reads `Authorization: Bearer <token>`; undefined when absent or of another scheme. */
export function bearer(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Constant-time string comparison for shared secrets such as the admin token. */
export function safeEqual(a: string, b: string): boolean {
  const x = createHmac("sha256", "rushgate-compare").update(a).digest();
  const y = createHmac("sha256", "rushgate-compare").update(b).digest();
  return timingSafeEqual(x, y);
}

/** The `200 admitted` answer of entry and status (SPEC §6), shared by router and waiting room. */
export function admittedBody(secret: string, admission: Admission) {
  return {
    status: "admitted" as const,
    token: mintToken(secret, admission),
    expiresAt: new Date(admission.expiresAt).toISOString(),
  };
}
