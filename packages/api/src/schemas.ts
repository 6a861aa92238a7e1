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

/**
 * Admin token names: they travel in signed dot-separated fields (the router's actor header), so
 * no dots. "bootstrap" is ADMIN_TOKEN's.
 */
export const adminTokenNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "name must be 1-64 characters of [A-Za-z0-9_-]")
  .refine((n) => n.toLowerCase() !== "bootstrap", "bootstrap is the name of ADMIN_TOKEN");

export const createAdminTokenSchema = z.object({ name: adminTokenNameSchema }).strict();

export const adminTokenParamSchema = z.object({ name: adminTokenNameSchema });

/** The operator name given at dashboard sign-in: shown in the audit trail as "who". */
export const operatorNameSchema = z
  .string()
  .trim()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u,
    "operator name must be 1-64 letters, digits, spaces or ._@-",
  );

/** GET /admin/api/audit: newest first, one page at a time. */
export const auditQuerySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    actor: z.string().min(1).max(64).optional(),
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,15}$/, "before must be an entry id")
      .transform(Number)
      .optional(),
    limit: z
      .string()
      .regex(/^[0-9]{1,5}$/, "limit must be a number")
      .transform(Number)
      .pipe(z.number().int().min(1).max(10_000))
      .default("100"),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();
