import { adminToken, admissionSecret, commonEnv, databaseUrl, parseEnv, port } from "@rushgate/service";
import { z } from "zod";

const shape = {
  ...commonEnv,
  PORT: port(8082),
  DATABASE_URL: databaseUrl,
  ADMIN_TOKEN: adminToken,
  ADMISSION_SECRET: admissionSecret,
  DEFAULT_RPM_THRESHOLD: z.coerce.number().int().min(0).default(6000),
  /** How long an unknown event id is remembered: the most an event made elsewhere stays hidden. */
  EVENT_MISS_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** How long a user's coupons read from MySQL are reused by GET /api/me/coupons. */
  ME_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Most issuance jobs one addBulk carries (the issues that finish in one tick share it). */
  ENQUEUE_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(200),
};

export type CouponEnv = ReturnType<typeof parseCouponEnv>;

export function parseCouponEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(shape, source);
}
