import { describe, expect, it } from "vitest";
import { expandSchedule, MAX_PENDING_CHANGES, scheduleSchema, updateSettingsSchema } from "./changes";
import { createEventSchema } from "./schemas";

const at = "2030-01-01T00:00:00.000Z";
const t0 = Date.parse(at);

describe("scheduled changes", () => {
  it("a ramp expands into equal steps from its start to its end", () => {
    const input = scheduleSchema.parse({
      ramps: [{ setting: "admitPerTick", from: 100, to: 1000, startAt: at, durationSeconds: 300, steps: 6 }],
    });
    expect(expandSchedule(input)).toEqual(
      [100, 280, 460, 640, 820, 1000].map((v, i) => ({ at: t0 + i * 60_000, set: { admitPerTick: v } })),
    );
  });

  it("uses createEventSchema's bounds: the largest values pass, one more is refused", () => {
    const largest = { rpmThreshold: 100_000_000, admitPerTick: 100_000, runningCapacity: 1_000_000 };
    expect(updateSettingsSchema.parse(largest)).toEqual(largest);
    const base = { name: "x", stock: 1, startsAt: at, endsAt: "2030-01-02T00:00:00.000Z" };
    expect(createEventSchema.safeParse({ ...base, ...largest }).success).toBe(true);
    for (const [key, value] of Object.entries(largest)) {
      expect(updateSettingsSchema.safeParse({ [key]: value + 1 }).success).toBe(false);
      expect(createEventSchema.safeParse({ ...base, [key]: value + 1 }).success).toBe(false);
      expect(
        scheduleSchema.safeParse({
          ramps: [{ setting: key, from: 1, to: value + 1, startAt: at, durationSeconds: 60, steps: 2 }],
        }).success,
      ).toBe(false);
    }
  });

  it.each([
    ["an empty body", {}],
    ["a change that sets nothing", { changes: [{ at }] }],
    ["an unknown setting", { changes: [{ at, admissionTtlSeconds: 60 }] }],
    ["a bad time", { changes: [{ at: "tomorrow", admitPerTick: 5 }] }],
    [
      "a ramp of one step",
      { ramps: [{ setting: "admitPerTick", from: 1, to: 2, startAt: at, durationSeconds: 60, steps: 1 }] },
    ],
    [
      "more steps than an event may hold",
      {
        ramps: Array.from({ length: 11 }, () => ({
          setting: "admitPerTick",
          from: 1,
          to: 2,
          startAt: at,
          durationSeconds: 60,
          steps: MAX_PENDING_CHANGES / 10,
        })),
      },
    ],
  ])("refuses %s", (_, body) => {
    expect(scheduleSchema.safeParse(body).success).toBe(false);
  });

  it("null hands the threshold back to the global one; nothing at all is refused", () => {
    expect(updateSettingsSchema.parse({ rpmThreshold: null })).toEqual({ rpmThreshold: null });
    expect(updateSettingsSchema.safeParse({}).success).toBe(false);
    expect(updateSettingsSchema.safeParse({ stock: 5 }).success).toBe(false);
  });
});
