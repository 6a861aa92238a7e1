import { createPublicKey } from "node:crypto";
import { IDENTITY_SOURCES, type IdentitySource, parseProxies } from "@rushgate/identity";
import { adminToken, admissionSecret, commonEnv, parseEnv, port, positiveInt } from "@rushgate/service";
import { z } from "zod";

const urlList = z
  .string()
  .transform((v) => v.split(",").map((u) => u.trim()))
  .pipe(z.array(z.string().url()).min(1));

const list = z.string().transform((v) =>
  v
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== ""),
);

const publicKeyPem = z.string().refine((pem) => {
  try {
    createPublicKey(pem);
    return true;
  } catch {
    return false;
  }
}, "must be a PEM public key");

/** SPEC §2: where user ids come from. See README "Identity" and docs/OPERATIONS.md. */
const identityShape = {
  /** Comma-separated; default `token` in production, `plain,anonymous,token` otherwise. */
  IDENTITY_SOURCES: list
    .pipe(z.array(z.enum(IDENTITY_SOURCES)).min(1, "name at least one source"))
    .optional(),
  /** The HMAC key of `token` identities, shared with the site's login. */
  IDENTITY_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** The header that carries the site's identity (token or JWT); never Authorization. */
  IDENTITY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, "must be a header name")
    .transform((v) => v.toLowerCase())
    .refine(
      (v) => !["authorization", "x-user-id", "cookie"].includes(v),
      "must not be Authorization, X-User-Id or Cookie",
    )
    .default("x-identity-token"),
  /** The cookie that carries it for browsers (set by the site on a domain rushgate shares). */
  IDENTITY_COOKIE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a cookie name")
    .refine((v) => v !== "uid" && !v.startsWith("rg_adm_"), "must not be uid or rg_adm_*")
    .default("rg_identity"),
  IDENTITY_JWT_PUBLIC_KEY: publicKeyPem.optional(),
  IDENTITY_JWKS_URL: z.string().url().optional(),
  IDENTITY_JWT_ISSUER: z.string().min(1).optional(),
  IDENTITY_JWT_AUDIENCE: z.string().min(1).optional(),
  IDENTITY_JWT_ALGORITHMS: list.pipe(z.array(z.string().regex(/^[A-Za-z0-9]{3,8}$/)).min(1)).optional(),
  /**
   * Proxy addresses and CIDRs: they may append to X-Forwarded-For (the client address is the
   * rightmost entry that is not one of them) and, with the `proxy` source, set X-User-Id.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v, ctx) => {
      try {
        return { list: v, blocks: parseProxies(v) };
      } catch (err) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Replaced by TRUSTED_PROXIES: refused, so an old setting does not silently change meaning. */
  TRUST_PROXY: z
    .undefined({ invalid_type_error: "replaced by TRUSTED_PROXIES (the proxy addresses to trust)" })
    .optional(),
};

const DEV_IDENTITY_SECRET = "dev-identity-secret-not-for-production";

const shape = {
  ...commonEnv,
  PORT: port(8080),
  /** One URL, or several separated by commas to balance over several instances. */
  COUPON_URL: urlList.default("http://127.0.0.1:8082"),
  ADMIN_TOKEN: adminToken,
  ADMISSION_SECRET: admissionSecret,
  /** How often live RPM is flushed to Redis and the gate snapshot refreshed (SPEC: ≤ 250 ms). */
  GATE_SYNC_MS: positiveInt(250).refine((ms) => ms <= 250, "must be at most 250"),
  /** The global RPM threshold used until an admin sets one in Redis. */
  DEFAULT_RPM_THRESHOLD: z.coerce.number().int().min(0).default(6000),
  /**
   * Rate limits of every public route, per router instance (0 turns one off). Each route group
   * (entry, status, leave, events, issue, coupons, pages, admin) has its own buckets with these
   * limits. Per user: a client polling status every 300 ms uses a third of the default. Per IP:
   * generous, since many people share one address behind NAT; single-machine load tests turn it off.
   */
  RATE_LIMIT_USER_PER_SEC: z.coerce.number().min(0).default(5),
  RATE_LIMIT_USER_BURST: positiveInt(10),
  RATE_LIMIT_IP_PER_SEC: z.coerce.number().min(0).default(2000),
  RATE_LIMIT_IP_BURST: positiveInt(4000),
  ...identityShape,
  /**
   * Event streams (GET /api/queue/:eventId/events): how often the router reads every open
   * stream's status (one Redis call per event per 500 streams), and after how long without a
   * message a stream gets a heartbeat comment.
   */
  STREAM_TICK_MS: positiveInt(500).refine((ms) => ms >= 100 && ms <= 5000, "must be 100 to 5000"),
  STREAM_HEARTBEAT_MS: positiveInt(15_000).refine((ms) => ms >= 1000, "must be at least 1000"),
  /** Keep-alive connections per upstream server. */
  UPSTREAM_CONNECTIONS: positiveInt(128),
};

export type RouterEnv = ReturnType<typeof parseRouterEnv>;

/** Settings that only make sense together, checked once the variables are parsed. */
function identityProblems(env: ReturnType<typeof parseEnv<typeof shape>>, sources: IdentitySource[]) {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";
  if (production && sources.includes("plain"))
    problems.push("IDENTITY_SOURCES: plain (X-User-Id at face value) is refused in production");
  if (production && sources.includes("token") && (env.IDENTITY_SECRET?.length ?? 0) < 32)
    problems.push("IDENTITY_SECRET: must be set to at least 32 characters in production (source token)");
  if (sources.includes("jwt") && !env.IDENTITY_JWT_PUBLIC_KEY === !env.IDENTITY_JWKS_URL)
    problems.push("IDENTITY_JWT_PUBLIC_KEY: set it or IDENTITY_JWKS_URL, one of the two (source jwt)");
  if (sources.includes("proxy") && env.TRUSTED_PROXIES.list === "")
    problems.push("TRUSTED_PROXIES: must name the proxies (source proxy)");
  return problems;
}

export function parseRouterEnv(source: NodeJS.ProcessEnv = process.env) {
  const env = parseEnv(shape, source);
  const sources =
    env.IDENTITY_SOURCES ?? (env.NODE_ENV === "production" ? ["token"] : ["plain", "anonymous", "token"]);
  const problems = identityProblems(env, sources);
  if (problems.length > 0)
    throw new Error(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return {
    ...env,
    IDENTITY_SOURCES: sources,
    IDENTITY_SECRET: env.IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
  };
}
