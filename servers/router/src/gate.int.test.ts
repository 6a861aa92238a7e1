import { createLogger } from "@rushgate/logger";
import { type RedisFixture, useRedis } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGate } from "./gate";

let fx: RedisFixture;
beforeAll(async () => {
  fx = await useRedis();
});
afterAll(async () => {
  await fx.cleanup();
});

describe("the router's gate", () => {
  it("keeps a threshold set here while a sync that read Redis before the change comes back", async () => {
    await fx.redis.set(fx.keys.threshold, "6000");
    const gate = createGate({
      redis: fx.redis,
      keys: fx.keys,
      syncMs: 60_000,
      defaultThreshold: 6000,
      log: createLogger({ service: "test", level: "silent" }),
      warm: async () => false,
    });
    // A first look at an event syncs at once: its read of the threshold is on its way...
    const looking = gate.lookup(99_999_999);
    // ...when the admin's change lands here (PUT /admin/api/traffic writes Redis, then this).
    gate.setGlobalThreshold(0);
    expect(await looking).toBeNull();
    expect(gate.globalThreshold()).toBe(0);
    await gate.stop();
  });
});
