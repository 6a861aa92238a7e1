import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { it } from "vitest";
import { admit, enter, statusMany } from "../operations";

it("cost", async () => {
  const fx: RedisFixture = await useRedis();
  const { id } = await createRedisEvent(fx.redis, fx.keys, {
    startsAt: Date.now() + 3_600_000,
    stock: 100000,
  });
  const k = fx.keys.event(id);
  const users = Array.from({ length: 4500 }, (_, i) => `user-${i}-abcdefgh`);
  await fx.redis.config("RESETSTAT");
  for (let i = 0; i < users.length; i += 100)
    await Promise.all(users.slice(i, i + 100).map((u) => enter(fx.redis, k, u)));
  console.log(
    (await fx.redis.info("commandstats"))
      .split("\n")
      .filter((l) => /evalsha/.test(l))
      .join("\n"),
  );
  await fx.redis.config("RESETSTAT");
  for (let r = 0; r < 5; r++)
    for (let i = 0; i < users.length; i += 100) await statusMany(fx.redis, k, users.slice(i, i + 100));
  const info = await fx.redis.info("commandstats");
  console.log(
    info
      .split("\n")
      .filter((l) => /evalsha|cmdstat_zadd|cmdstat_xadd/.test(l))
      .join("\n"),
  );
  const { id: id2 } = await createRedisEvent(fx.redis, fx.keys, { stock: 100000, runningCapacity: 100000 });
  await fx.redis.config("RESETSTAT");
  for (let i = 0; i < users.length; i += 100)
    await Promise.all(users.slice(i, i + 100).map((u) => admit(fx.redis, fx.keys.event(id2), u)));
  console.log(
    (await fx.redis.info("commandstats"))
      .split("\n")
      .filter((l) => /evalsha/.test(l))
      .join("\n"),
  );
  await fx.cleanup();
}, 120_000);
