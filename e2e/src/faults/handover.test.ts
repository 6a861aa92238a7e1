import { afterEach, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./stack";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("scheduler leader lease", () => {
  it("kill -9 of the waiting room holding the lease: another takes over within 2 s, nobody loses their place", async () => {
    stack = await startStack({ waitingRooms: 2 });
    const s = stack;
    // The lease went to whichever waiting room started first. Kill the holder, whichever it is,
    // and keep the users polling through the router, which answers polls from Redis itself.
    const lease = async () => (await s.redis.get(s.keys.schedulerLease)) ?? "";
    const holderPid = Number((await lease()).split("-")[0]);
    const holder = [s.pid("waiting-room"), s.pid("waiting-room-2")].indexOf(holderPid);
    expect(holder).toBeGreaterThanOrEqual(0);
    const leaderKey = holder === 0 ? "waiting-room" : "waiting-room-2";

    const eventId = await s.client.createEvent({
      stock: 1000,
      rpmThreshold: 0,
      admitPerTick: 2,
      runningCapacity: 1000,
    });
    const users = Array.from({ length: 60 }, (_, i) => `lease-${i}`);
    const position = new Map<string, number>();
    for (const u of users) {
      const res = await s.client.enter(eventId, u);
      expect(res.status).toBe(202);
      position.set(u, Number(res.body.position));
    }

    let grew = 0;
    let lost = 0;
    let admitted = 0;
    const admittedAt: number[] = [];
    let polling = true;
    const pollers = users.map(async (u) => {
      while (polling) {
        const res = await s.client.status(eventId, u);
        const body = res.body as { status?: string; position?: number };
        if (res.status === 404) lost += 1;
        if (body.status === "admitted") {
          admitted += 1;
          admittedAt.push(Date.now());
          return;
        }
        if (body.position !== undefined) {
          if (body.position > (position.get(u) ?? Number.POSITIVE_INFINITY)) grew += 1;
          position.set(u, body.position);
        }
        await sleep(100);
      }
    });

    // The leader is at work: some users are admitted before it dies.
    const until = async (check: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!check() && Date.now() < deadline) await sleep(25);
    };
    await until(() => admittedAt.length > 0, 10_000);
    const killedAt = Date.now();
    await s.kill(leaderKey, "SIGKILL");
    let takeover = Number.NaN;
    while (Date.now() - killedAt < 5_000) {
      const v = await lease();
      if (v && Number(v.split("-")[0]) !== holderPid) {
        takeover = Date.now() - killedAt;
        break;
      }
      await sleep(25);
    }
    const admittedBeforeKill = admittedAt.filter((t) => t < killedAt).length;
    // The new leader admits the next ones (and everyone else keeps their place meanwhile).
    await until(
      () => admittedAt.some((t) => t > killedAt + takeover) && admittedAt.length > admittedBeforeKill + 2,
      10_000,
    );
    polling = false;
    await Promise.all(pollers);

    expect(takeover).toBeLessThan(2_000);
    expect(admittedAt.filter((t) => t > killedAt + takeover).length).toBeGreaterThan(0);
    expect(admittedBeforeKill).toBeGreaterThan(0);
    expect(admitted).toBeGreaterThan(admittedBeforeKill);
    expect({ grew, lost }).toEqual({ grew: 0, lost: 0 });
  });
});
