import { type AdminAuth, AUDIT_SIGNATURE_HEADER, type AuditRecorder } from "@rushgate/service";
import { call, type Upstream } from "./upstream";

/**
 * The router has no MySQL: it hands each audit entry of what it serves itself (traffic, sign-in,
 * sign-out, refused attempts) to a coupon server, signed with the key both derive from
 * ADMIN_TOKEN, and waits until the row is written. Forwarded admin calls are recorded by the
 * coupon server that answers them.
 */
export function auditThroughCoupon(coupon: Upstream, auth: AdminAuth): AuditRecorder {
  return async (entry) => {
    const body = JSON.stringify(entry);
    const res = await call(coupon, {
      method: "POST",
      path: "/internal/audit",
      headers: {
        "content-type": "application/json",
        "x-request-id": entry.requestId,
        [AUDIT_SIGNATURE_HEADER]: auth.signRecord(body),
      },
      body: Buffer.from(body),
    });
    if (res.status !== 204) throw new Error(`coupon server refused the audit entry: ${res.status}`);
  };
}

/** Asks a coupon server to refill Redis's copy of the named admin tokens from MySQL. */
export async function reloadTokensThroughCoupon(coupon: Upstream, auth: AdminAuth): Promise<void> {
  const body = "reload";
  const res = await call(coupon, {
    method: "POST",
    path: "/internal/admin-tokens/reload",
    headers: { "content-type": "text/plain", [AUDIT_SIGNATURE_HEADER]: auth.signRecord(body) },
    body: Buffer.from(body),
  });
  if (res.status !== 204) throw new Error(`coupon server refused to reload admin tokens: ${res.status}`);
}
