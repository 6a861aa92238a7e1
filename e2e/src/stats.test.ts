import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";

let p: Platform;

beforeAll(async () => {
  p = await startPlatform({ issuer: false }); // jobs stay queued: nothing persists them
});
afterAll(async () => {
  await p.close();
});

describe("admin stats", () => {
  it("read failed from the event's counter in O(1) and leave failed issuances out of queued", async () => {
    const eventId = await p.client.createEvent({ stock: 10 });
    const users = ["s-1", "s-2", "s-3"].map((u) => `${u}-${p.prefix}`);
    for (const user of users) expect(await p.client.rush(eventId, user)).toBe("issued");
    expect((await p.client.stats(eventId)).body).toMatchObject({
      issued: 3,
      persisted: 0,
      queued: 3,
      failed: 0,
    });

    // What the issuer records when two jobs fail for good (servers/issuer/src/failed.ts).
    await p.redis.sadd(p.keys.event(eventId).failed, users[0] as string, users[1] as string);
    expect((await p.client.stats(eventId)).body).toMatchObject({
      issued: 3,
      persisted: 0,
      queued: 1,
      failed: 2,
    });
  });
});
