import { createRawCore, listen, type RunningServer } from "@rushgate/service";
import { type RedisFixture, TEST_ADMISSION_SECRET, useRedis } from "@rushgate/testing";
import { mintToken } from "@rushgate/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CouponDeps, createApp } from "../app";
import { closeCouponDeps, createCouponDeps } from "../server";
import { postEvent, testCouponEnv } from "../test-fixture";
import { issueRoute } from "./issue";

let fx: RedisFixture;
let deps: CouponDeps;
let app: ReturnType<typeof createApp>;
let server: RunningServer;
let eventId: number;

beforeAll(async () => {
  fx = await useRedis();
  deps = createCouponDeps(testCouponEnv(fx.prefix));
  app = createApp(deps);
  server = await listen({
    app,
    port: 0,
    host: "127.0.0.1",
    logger: deps.logger,
    fastPath: createRawCore({ routes: [issueRoute(deps)], metrics: deps.metrics, logger: deps.logger }),
  });
  const res = await postEvent(app, "fast issue", 10);
  eventId = ((await res.json()) as { id: number }).id;
});
afterAll(async () => {
  await server.close();
  await closeCouponDeps(deps);
  await fx.cleanup();
});

async function bothWays(userId: string, authorization?: string) {
  const headers: Record<string, string> = { "x-user-id": userId };
  if (authorization) headers.authorization = authorization;
  const path = `/api/events/${eventId}/issue`;
  const fast = await fetch(`${server.url}${path}`, { method: "POST", headers });
  const viaApp = await app.request(path, { method: "POST", headers });
  return {
    fast: { status: fast.status, body: await fast.json() },
    viaApp: { status: viaApp.status, body: await viaApp.json() },
  };
}

describe("the issue route, on the raw core and through the app", () => {
  it("issues, then refuses the same way the app does", async () => {
    const expiresAt = Date.now() + 60_000;
    await fx.redis.zadd(fx.keys.event(eventId).running, expiresAt, "fast-user");
    const token = `Bearer ${mintToken(TEST_ADMISSION_SECRET, { eventId, userId: "fast-user", expiresAt })}`;
    const { fast, viaApp } = await bothWays("fast-user", token);
    expect(fast).toMatchObject({ status: 201, body: { status: "issued", remaining: 9 } });
    expect(viaApp).toEqual({
      status: 409,
      body: { error: { code: "already_issued", message: expect.any(String) } },
    });
    const again = await bothWays("fast-user", token);
    expect(again.fast).toEqual(again.viaApp);
    const tokenless = await bothWays("someone");
    expect(tokenless.fast).toEqual(tokenless.viaApp);
    expect(tokenless.fast).toMatchObject({ status: 403, body: { error: { code: "not_admitted" } } });
  });

  it("leaves a request it does not take to the app, which answers it", async () => {
    const res = await fetch(`${server.url}/api/events/${eventId}/issue`, {
      method: "POST",
      headers: { "x-user-id": "not a valid id!" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_user" } });
  });
});
