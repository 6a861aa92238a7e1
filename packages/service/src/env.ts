import { z } from "zod";

/** Pieces every server's env schema is built from (SPEC §7: working defaults, validated at start). */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const commonEnv = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOST: z.string().min(1).default("0.0.0.0"),
  REDIS_URL: z
    .string()
    .url()
    .refine((u) => /^rediss?:/.test(u), "must be a redis:// or rediss:// URL")
    .default("redis://127.0.0.1:6379"),
  /** `host:port,host:port`: seed nodes of a Redis Cluster; when set, REDIS_URL only gives credentials. */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, "must be host:port,host:port")
    .transform((v) => v.split(","))
    .optional(),
  /**
   * On SIGTERM, how long to keep serving (answering "Connection: close" and not ready) before
   * closing the listener, so that load balancers and keep-alive clients move away without a
   * request ever landing on a socket that is being closed.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(1000),
  /**
   * Port of `GET /metrics`, apart from the public port (which never serves it). Unset: PORT + 1000
   * (9080-9083), or a free port when PORT is 0.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, "1-32 characters of [A-Za-z0-9_-]")
    .default("rg"),
};

/** The metrics port a server listens on: METRICS_PORT, else PORT + 1000 (0 stays 0). */
export function metricsPort(env: { PORT: number; METRICS_PORT?: number }): number {
  if (env.METRICS_PORT !== undefined) return env.METRICS_PORT;
  return env.PORT === 0 ? 0 : env.PORT + 1000;
}

export const databaseUrl = z
  .string()
  .url()
  .refine((u) => /^mysql:/.test(u), "must be a mysql:// URL")
  .default("mysql://root@127.0.0.1:3306/rushgate");

const DEV_ADMIN_TOKEN = "dev-admin-token";
const DEV_ADMISSION_SECRET = "dev-admission-secret-not-for-production";

export const adminToken = z.string().min(8, "must be at least 8 characters").default(DEV_ADMIN_TOKEN);
export const admissionSecret = z
  .string()
  .min(16, "must be at least 16 characters")
  .default(DEV_ADMISSION_SECRET);

/**
 * Parses `source` (process.env by default) or throws one error naming every bad variable. In
 * production the development secrets are refused: a default admin token is an open door.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, source: NodeJS.ProcessEnv = process.env) {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data as z.infer<z.ZodObject<S>>;
  const values = env as Record<string, unknown>;
  if (values.NODE_ENV === "production") {
    const weak = (["ADMIN_TOKEN", "ADMISSION_SECRET"] as const).filter(
      (name) => name in values && (source[name] === undefined || String(values[name]).length < 32),
    );
    if (weak.length > 0) {
      throw new Error(
        `invalid configuration:\n${weak.map((n) => `  ${n}: must be set to at least 32 characters in production`).join("\n")}`,
      );
    }
  }
  return env;
}
