import {
  TEST_ADMIN_TOKEN,
  TEST_ADMISSION_SECRET,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from "@rushgate/testing";
import type { createApp } from "./app";
import { parseCouponEnv } from "./env";

/** A coupon server's settings for a test: the test Redis under `prefix`, the test MySQL. */
export function testCouponEnv(prefix: string, extra: Record<string, string> = {}) {
  return parseCouponEnv({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    DATABASE_URL: TEST_DATABASE_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ADMISSION_SECRET: TEST_ADMISSION_SECRET,
    ...extra,
  });
}

/** Creates an event open now for an hour through the app's admin API; the answer as it came. */
export function postEvent(app: ReturnType<typeof createApp>, name: string, stock: number): Promise<Response> {
  const now = Date.now();
  return Promise.resolve(
    app.request("/admin/api/events", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        name,
        stock,
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      }),
    }),
  );
}
