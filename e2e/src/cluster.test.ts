import { countIssuances } from "@rushgate/db";
import { startRedisCluster, useDatabase } from "@rushgate/testing";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Outcome } from "./client";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

/** The whole platform on a real 3-master Redis Cluster (REDIS_CLUSTER_NODES), invariants checked. */
let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
let p: Platform;
const database = useDatabase();

beforeAll(async () => {
  cluster = await startRedisCluster();
  p = await startPlatform({ redisUrl: cluster.url, env: { REDIS_CLUSTER_NODES: cluster.nodes.join(",") } });
});
afterAll(async () => {
  await p?.close();
  await cluster?.stop();
  await database.close();
});

async function rush(eventId: number, users: number, tag: string) {
  const outcomes = await Promise.all(
    Array.from({ length: users }, (_, i) => p.client.rush(eventId, `${tag}-${i}`)),
  );
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return { issued: count("issued"), soldOut: count("sold_out"), other: count("other") };
}

describe("on a Redis Cluster", () => {
  it("runs the direct rush and the queued rush with every invariant, events spread over the masters", async () => {
    expect(p.redis).toBeInstanceOf(Cluster);
    const direct = await p.client.createEvent({ stock: 60 });
    const queued = await p.client.createEvent({ stock: 40, rpmThreshold: 0, admitPerTick: 10 });
    const extra = await Promise.all([1, 2, 3, 4].map(() => p.client.createEvent({ stock: 1 })));

    expect(await rush(direct, 150, `cd-${p.prefix}`)).toEqual({ issued: 60, soldOut: 90, other: 0 });
    expect(await rush(queued, 100, `cq-${p.prefix}`)).toEqual({ issued: 40, soldOut: 60, other: 0 });

    for (const [eventId, stock] of [
      [direct, 60],
      [queued, 40],
    ] as const) {
      expect(
        await waitFor(
          () => countIssuances(database.db, { eventId }),
          (n) => n >= stock,
        ),
      ).toBe(stock);
      expect(await p.redis.hlen(p.keys.event(eventId).issued)).toBe(stock);
      expect(await p.redis.get(p.keys.event(eventId).remaining)).toBe("0");
    }

    // The hash tags really spread one event per slot over several masters.
    const owners = new Set<string>();
    for (const id of [direct, queued, ...extra]) {
      const slot = Number(await (p.redis as Cluster).cluster("KEYSLOT", p.keys.event(id).meta));
      const slots = await (p.redis as Cluster).cluster("SLOTS");
      const owner = slots.find(([from, to]) => slot >= from && slot <= to)?.[2];
      owners.add(`${owner?.[0]}:${owner?.[1]}`);
    }
    expect(owners.size).toBeGreaterThanOrEqual(2);
  });
});
