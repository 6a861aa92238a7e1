import { adminToken, admissionSecret, commonEnv, parseEnv, port, positiveInt } from "@rushgate/service";
import { z } from "zod";

const urlList = z
  .string()
  .transform((v) => v.split(",").map((u) => u.trim()))
  .pipe(z.array(z.string().url()).min(1));

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
   * Rate limits on entry and status, per router instance (0 turns one off). Per user: a client
   * that polls every 300 ms uses a third of the default. Per IP: generous, since many people share
   * one address behind NAT; single-machine load tests turn it off.
   */
  RATE_LIMIT_USER_PER_SEC: z.coerce.number().min(0).default(5),
  RATE_LIMIT_USER_BURST: positiveInt(10),
  RATE_LIMIT_IP_PER_SEC: z.coerce.number().min(0).default(2000),
  RATE_LIMIT_IP_BURST: positiveInt(4000),
  /** Take the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Keep-alive connections per upstream server. */
  UPSTREAM_CONNECTIONS: positiveInt(128),
};

export type RouterEnv = ReturnType<typeof parseRouterEnv>;

export function parseRouterEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(shape, source);
}
