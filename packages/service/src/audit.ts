import { ApiError } from "@rushgate/api";
import { bearer } from "@rushgate/token";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { ADMIN_COOKIE, type AdminActor, type AdminAuth } from "./admin-auth";
import { assertSameOrigin, UNSAFE_METHODS } from "./auth";
import type { AppEnv } from "./context";

/** The header in which the router tells the server behind it who an admin request is (signed). */
export const ACTOR_HEADER = "x-rushgate-admin";

/** The header carrying the router's signature of an audit entry it sends to be written. */
export const AUDIT_SIGNATURE_HEADER = "x-rushgate-audit";

/** One line of the audit trail, as a server hands it to its recorder. */
export interface AuditEntry {
  token: string | null;
  operator: string | null;
  /** `PUT /admin/api/traffic` (method and route), or `sign-in`, `sign-out`. */
  action: string;
  target: string;
  params: unknown;
  before: unknown;
  after: unknown;
  status: number;
  requestId: string;
  source: string;
}

/** Writes an entry (MySQL on the coupon server; the router sends it there). */
export type AuditRecorder = (entry: AuditEntry) => Promise<void>;

const SECRET_KEYS = /token|secret|password/i;

/** Bodies are recorded as "after"; anything that looks like a secret is not. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEYS.test(k) && typeof v === "string" ? "[redacted]" : redact(v, depth + 1);
  return out;
}

async function bodyOf(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text().catch(() => "");
  if (text === "") return null;
  try {
    return redact(JSON.parse(text));
  } catch {
    return { unparsed: text.slice(0, 1000) };
  }
}

/** Records without ever failing the request: a lost entry is logged in full instead. */
export async function recordSafely(c: Context<AppEnv>, record: AuditRecorder, entry: AuditEntry) {
  try {
    await record(entry);
  } catch (err) {
    c.get("log").error({ err, audit: entry }, "audit entry not recorded");
  }
}

async function authenticate(c: Context<AppEnv>, auth: AdminAuth, trustActorHeader: boolean) {
  const asserted = c.req.header(ACTOR_HEADER);
  if (trustActorHeader && asserted !== undefined) return auth.fromAssertion(asserted);
  const header = c.req.header("authorization");
  if (header === undefined) {
    const actor = await auth.session(getCookie(c, ADMIN_COOKIE));
    if (actor) assertSameOrigin(c);
    return actor;
  }
  const given = bearer(header);
  return given ? auth.bearer(given) : null;
}

export interface AdminApiOptions {
  auth: AdminAuth;
  record: AuditRecorder;
  /** "router" or "coupon": which server recorded an entry. */
  source: string;
  /**
   * Whether the signed `X-Rushgate-Admin` header of the router is taken as the caller (coupon
   * server). The router never trusts it and never passes a client's on.
   */
  trustActorHeader: boolean;
}

/** The `{"before","after"}` of a JSON answer, when it has both. */
async function answeredChange(c: Context<AppEnv>): Promise<{ before: unknown; after: unknown } | undefined> {
  if (!c.res.headers.get("content-type")?.startsWith("application/json")) return undefined;
  try {
    const body: unknown = await c.res.clone().json();
    if (body && typeof body === "object" && "before" in body && "after" in body)
      return { before: body.before, after: body.after };
  } catch {
    // Not JSON after all: the request body stands as "after".
  }
  return undefined;
}

/**
 * Mounted on `/admin/api/*`: authenticates every admin request (bearer token, or the dashboard's
 * session cookie with the same-origin rule) into `c.var.admin`, and writes every unsafe one
 * (POST, PUT, PATCH, DELETE) to the audit trail once answered: who, method and route, path
 * params and query, "before" and "after" (a handler's `c.set("auditBefore" | "auditAfter", …)`,
 * else the `before` and `after` of its JSON answer, the shape every changing admin answer has,
 * else the request body as "after"), the status and the request id. Refused attempts (401, 403) of unsafe methods are recorded too. A request that
 * a server behind this one has recorded (`auditRecorded`, set by the router's forwarder) is not
 * recorded twice.
 */
export function adminApi(options: AdminApiOptions): MiddlewareHandler<AppEnv> {
  const { auth, record, source, trustActorHeader } = options;
  return async function adminApi(c, next) {
    const unsafe = UNSAFE_METHODS.has(c.req.method);
    const entry = (actor: AdminActor | null, fields: Partial<AuditEntry> & { action?: string }) => {
      const e: AuditEntry = {
        token: actor?.token ?? null,
        operator: actor?.operator ?? null,
        action: `${c.req.method} ${c.req.path}`,
        target: c.req.path,
        params: null,
        before: null,
        after: null,
        status: 0,
        requestId: c.get("requestId"),
        source,
        ...fields,
      };
      // The columns' sizes: a path can be as long as a URL.
      return { ...e, action: e.action.slice(0, 200), target: e.target.slice(0, 500) };
    };
    let actor: AdminActor | null;
    try {
      actor = await authenticate(c, auth, trustActorHeader);
      if (!actor) throw new ApiError("unauthorized", "missing or wrong admin token");
    } catch (err) {
      if (unsafe && err instanceof ApiError && (err.status === 401 || err.status === 403))
        await recordSafely(c, record, entry(null, { status: err.status, after: { refused: err.code } }));
      throw err;
    }
    c.set("admin", actor);
    if (!unsafe) return next();
    const after = await bodyOf(c);
    await next();
    if (c.get("auditRecorded")) return;
    // After next() the route is the one that answered (its pattern and params).
    const route = c.req.routePath;
    const query = c.req.query();
    const change = await answeredChange(c);
    const params = { ...c.req.param(), ...(Object.keys(query).length > 0 ? { query } : {}) };
    await recordSafely(
      c,
      record,
      entry(actor, {
        action: `${c.req.method} ${route.endsWith("*") ? c.req.path : route}`,
        params: Object.keys(params).length > 0 ? params : null,
        before: c.get("auditBefore") ?? change?.before ?? null,
        after: c.get("auditAfter") ?? change?.after ?? after,
        status: c.res.status,
      }),
    );
  };
}
