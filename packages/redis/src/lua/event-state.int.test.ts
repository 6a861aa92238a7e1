import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventKeys } from "../keys";
import { admit, enter, gateSync, issue, status } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

/** Each script's answer for one user, in the words of includes/event-state.lua. */
async function answers(k: EventKeys, user: string) {
  const word = (kind: string) =>
    ({ already_issued: "issued", not_open: "ended", admitted: "open", queue: "open" })[kind] ?? kind;
  return {
    admit: word((await admit(fx.redis, k, user)).kind),
    enter: word((await enter(fx.redis, k, user)).kind),
    status: word((await status(fx.redis, k, user)).kind),
    issue: word((await issue(fx.redis, k, { userId: user, couponId: "c" })).kind),
  };
}

describe("includes/event-state.lua", () => {
  const now = Date.now();
  const ended = { startsAt: now - 120_000, endsAt: now - 60_000 };
  const upcoming = { startsAt: now + 60_000, endsAt: now + 120_000 };
  it.each([
    {
      name: "has a coupon, the event ended and sold out",
      event: { ...ended, remaining: 0 },
      had: true,
      is: "issued",
    },
    { name: "has a coupon, the event is open", event: {}, had: true, is: "issued" },
    { name: "has a coupon, before the start", event: upcoming, had: true, is: "issued" },
    {
      name: "no coupon, the event ended and sold out",
      event: { ...ended, remaining: 0 },
      had: false,
      is: "ended",
    },
    { name: "no coupon, the event ended", event: ended, had: false, is: "ended" },
    {
      name: "no coupon, sold out before the start",
      event: { ...upcoming, remaining: 0 },
      had: false,
      is: "sold_out",
    },
    { name: "no coupon, sold out while open", event: { remaining: 0 }, had: false, is: "sold_out" },
  ])("gives the same answer from every script: $name", async (c) => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, c.event);
    const k = fx.keys.event(id);
    if (c.had) await fx.redis.hset(k.issued, "u", "c0|1");
    expect(await answers(k, "u")).toEqual({ admit: c.is, enter: c.is, status: c.is, issue: c.is });
    // Nobody is queued or admitted for nothing, and nothing was issued twice.
    expect(await fx.redis.zcard(k.waiting)).toBe(0);
    expect(await fx.redis.zcard(k.running)).toBe(0);
    expect(await fx.redis.hlen(k.issued)).toBe(c.had ? 1 : 0);
  });

  it("says not_found from every script, and the gate too, for an event Redis does not know", async () => {
    const k = fx.keys.event(777_000_777);
    expect(await answers(k, "u")).toEqual({
      admit: "not_found",
      enter: "not_found",
      status: "not_found",
      issue: "not_found",
    });
    expect((await gateSync(fx.redis, k, 0)).found).toBe(false);
  });

  it("admits and issues only while the event is open", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    expect(await answers(k, "u")).toEqual({ admit: "open", enter: "open", status: "open", issue: "issued" });
  });
});
