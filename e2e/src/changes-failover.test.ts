import type { ChangeView } from "@rushgate/api";
import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./faults/stack";
import { waitFor } from "./wait";

/**
 * A scheduled ramp on two waiting rooms as real processes (as faults/handover.test.ts starts
 * them): each step applies within one scheduler tick of its time, and killing the leader between
 * steps neither loses one nor applies one twice. Not a fault test of the shared services: it
 * kills only a waiting room it started itself.
 */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const TICK_MS = 100;
const LEASE_MS = 1_500;

/** The change ids each waiting room logged as applied ("scheduled changes applied"). */
function appliedLog(s: Stack): number[] {
  const ids: number[] = [];
  for (const key of ["waiting-room", "waiting-room-2"]) {
    for (const line of s.output(key).split("\n")) {
      if (!line.includes('"scheduled changes applied"')) continue;
      ids.push(...((JSON.parse(line) as { changes: number[] }).changes ?? []));
    }
  }
  return ids;
}

describe("scheduled ramp across a leader failover", () => {
  it("applies every step at its time within one tick, once, with the leader killed in between", async () => {
    stack = await startStack({
      waitingRooms: 2,
      env: { LOG_LEVEL: "info", SCHEDULER_TICK_MS: String(TICK_MS), SCHEDULER_LEASE_MS: String(LEASE_MS) },
    });
    const s = stack;
    const eventId = await s.client.createEvent({ stock: 1000, admitPerTick: 10 });
    const startAt = Date.now() + 1_500;
    const steps = 6;
    const res = await s.client.call<{ changes: ChangeView[] }>(
      "POST",
      `/admin/api/events/${eventId}/changes`,
      {
        token: TEST_ADMIN_TOKEN,
        body: {
          ramps: [
            {
              setting: "admitPerTick",
              from: 10,
              to: 60,
              startAt: new Date(startAt).toISOString(),
              durationSeconds: 5,
              steps,
            },
          ],
        },
      },
    );
    expect(res.status).toBe(201);
    const ids = res.body.changes.map((c) => c.id);
    const list = async () =>
      (
        await s.client.call<{ changes: ChangeView[] }>("GET", `/admin/api/events/${eventId}/changes`, {
          token: TEST_ADMIN_TOKEN,
        })
      ).body.changes;

    // Two steps applied by the first leader, then it dies (kill -9) before the third is due.
    await waitFor(list, (c) => c.filter((x) => x.state === "applied").length >= 2, 10_000);
    const holderPid = Number(((await s.redis.get(s.keys.schedulerLease)) ?? "").split("-")[0]);
    const leader = s.pid("waiting-room") === holderPid ? "waiting-room" : "waiting-room-2";
    const killedAt = Date.now();
    await s.kill(leader, "SIGKILL");

    const changes = await waitFor(list, (c) => c.every((x) => x.state === "applied"), 15_000);
    expect(changes.map((c) => c.state)).toEqual(Array(steps).fill("applied"));
    expect(await s.redis.hget(s.keys.event(eventId).meta, "admitPerTick")).toBe("60");

    const lateness = changes.map((c) => Date.parse(c.appliedAt ?? "") - Date.parse(c.at));
    for (const [i, c] of changes.entries()) {
      const late = lateness[i] ?? Number.NaN;
      expect(late).toBeGreaterThanOrEqual(0);
      // While a leader holds the lease: within one tick (plus the tick's own run time). Due while
      // nobody led (the dead leader's lease running out): at the new leader's first tick.
      const dueWhileLed = Date.parse(c.at) < killedAt;
      expect(late).toBeLessThan(dueWhileLed ? TICK_MS + 150 : LEASE_MS + TICK_MS + 500);
    }
    // Each applied once: in the log of exactly one waiting room, exactly once.
    expect(appliedLog(s).sort((a, b) => a - b)).toEqual(ids);
    console.log("ramp lateness (ms)", JSON.stringify({ lateness, killedAfterMs: killedAt - startAt }));
  });
});
