import { z } from "zod";

/** SPEC §2: user ids are 1-64 characters of [A-Za-z0-9_-] (so never contain a dot). */
export const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const userIdSchema = z.string().regex(USER_ID);

/** Event ids are MySQL auto-increment ids; anything else is refused before it reaches Redis. */
export const eventIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "eventId must be a positive integer")
  .transform(Number);

export const eventParamSchema = z.object({ eventId: eventIdSchema });

/** The pre-queue rules: "fifo" (arrival order) or "shuffle" (see fairness.ts). */
export const PREQUEUE_RULES = ["fifo", "shuffle"] as const;
export type PrequeueRule = (typeof PREQUEUE_RULES)[number];

export const isoDate = z
  .string()
  .datetime({ offset: true })
  .transform((s) => new Date(s));

/**
 * The settings an operator may change while an event runs (live or on a schedule), with the
 * bounds every route that accepts them uses: creating an event, PATCHing it, scheduling changes.
 */
export const liveSettingBounds = {
  rpmThreshold: z.number().int().min(0).max(100_000_000),
  runningCapacity: z.number().int().min(1).max(1_000_000),
  admitPerTick: z.number().int().min(1).max(100_000),
};

export type LiveSetting = keyof typeof liveSettingBounds;
export const LIVE_SETTINGS = Object.keys(liveSettingBounds) as LiveSetting[];

export const createEventSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    stock: z.number().int().min(1).max(10_000_000),
    startsAt: isoDate,
    endsAt: isoDate,
    rpmThreshold: liveSettingBounds.rpmThreshold.optional(),
    runningCapacity: liveSettingBounds.runningCapacity.default(1000),
    admitPerTick: liveSettingBounds.admitPerTick.default(200),
    admissionTtlSeconds: z.number().int().min(10).max(86_400).default(300),
    idleTimeoutSeconds: z.number().int().min(15).max(3600).default(30),
    /** Time to act: an admitted user silent this long gives the slot to the next in line. */
    actWithinSeconds: z.number().int().min(5).max(86_400).default(30),
    /** Who entered before startsAt: first come first served, or shuffled at the start (README). */
    prequeue: z.enum(PREQUEUE_RULES).default("fifo"),
  })
  .strict()
  .refine((e) => e.endsAt.getTime() > e.startsAt.getTime(), {
    message: "endsAt must be after startsAt",
    path: ["endsAt"],
  });

export type CreateEventInput = z.output<typeof createEventSchema>;

export const trafficSchema = z.object({ rpmThreshold: z.number().int().min(0).max(100_000_000) }).strict();
