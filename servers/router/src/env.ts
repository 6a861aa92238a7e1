import { adminToken, admissionSecret, commonEnv, parseEnv, port, positiveInt } from "@rushgate/service";
import { z } from "zod";

const shape = {
  ...commonEnv,
  PORT: port(8080),
  WAITING_ROOM_URL: z.string().url().default("http://127.0.0.1:8081"),
  COUPON_URL: z.string().url().default("http://127.0.0.1:8082"),
  ADMIN_TOKEN: adminToken,
  ADMISSION_SECRET: admissionSecret,
  /** How often live RPM is flushed to Redis and the gate snapshot refreshed (SPEC: ≤ 250 ms). */
  GATE_SYNC_MS: positiveInt(250).refine((ms) => ms <= 250, "must be at most 250"),
  /** The global RPM threshold used until an admin sets one in Redis. */
  DEFAULT_RPM_THRESHOLD: z.coerce.number().int().min(0).default(6000),
  /** Keep-alive connections per upstream server. */
  UPSTREAM_CONNECTIONS: positiveInt(128),
};

export type RouterEnv = ReturnType<typeof parseRouterEnv>;

export function parseRouterEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(shape, source);
}
