import { z } from "zod";
import { isoDate, LIVE_SETTINGS, type LiveSetting, liveSettingBounds } from "./schemas";

/** Some of the live settings; `rpmThreshold: null` hands the event back to the global threshold. */
export type SettingValues = Partial<Record<LiveSetting, number | null>>;

const settingsShape = {
  rpmThreshold: liveSettingBounds.rpmThreshold.nullable().optional(),
  runningCapacity: liveSettingBounds.runningCapacity.optional(),
  admitPerTick: liveSettingBounds.admitPerTick.optional(),
};

const atLeastOne = (s: SettingValues) => LIVE_SETTINGS.some((k) => s[k] !== undefined);
const atLeastOneMessage = { message: `give at least one of ${LIVE_SETTINGS.join(", ")}` };

/** PATCH /admin/api/events/:eventId: change settings now. */
export const updateSettingsSchema = z.object(settingsShape).strict().refine(atLeastOne, atLeastOneMessage);

/** Most changes one event may have pending at once (a ramp counts one per step). */
export const MAX_PENDING_CHANGES = 1_000;
export const MAX_RAMP_STEPS = 100;

const changeSchema = z
  .object({ at: isoDate, ...settingsShape })
  .strict()
  .refine(atLeastOne, atLeastOneMessage);

/** A setting moved from `from` to `to` in `steps` equal steps, the first at `startAt`, the last at its end. */
const rampSchema = z
  .object({
    setting: z.enum(LIVE_SETTINGS as [LiveSetting, ...LiveSetting[]]),
    from: z.number().int(),
    to: z.number().int(),
    startAt: isoDate,
    durationSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400),
    steps: z.number().int().min(2).max(MAX_RAMP_STEPS),
  })
  .strict()
  .superRefine((r, ctx) => {
    const bound = liveSettingBounds[r.setting];
    for (const key of ["from", "to"] as const) {
      const parsed = bound.safeParse(r[key]);
      if (!parsed.success) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: parsed.error.issues[0]?.message ?? "out of range",
        });
      }
    }
  });

/**
 * A proposed schedule: single changes and ramps, expanded into one change per step. The same
 * body is saved (POST …/changes) or previewed (POST …/preview).
 */
export const scheduleSchema = z
  .object({
    // 100 changes fit the 16 KiB body limit; more come as ramps or further requests.
    changes: z.array(changeSchema).max(100).default([]),
    ramps: z.array(rampSchema).max(20).default([]),
  })
  .strict()
  .refine((s) => s.changes.length + s.ramps.length > 0, { message: "give at least one change or ramp" })
  .refine((s) => s.changes.length + s.ramps.reduce((n, r) => n + r.steps, 0) <= MAX_PENDING_CHANGES, {
    message: `at most ${MAX_PENDING_CHANGES} steps in all`,
  });

export type ScheduleInput = z.output<typeof scheduleSchema>;

export interface PlannedChange {
  at: number;
  set: SettingValues;
}

/** The schedule as one change per step, in the order they apply. */
export function expandSchedule(input: ScheduleInput): PlannedChange[] {
  const planned: PlannedChange[] = input.changes.map(({ at, ...set }) => ({
    at: at.getTime(),
    set: Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)) as SettingValues,
  }));
  for (const r of input.ramps) {
    for (let j = 0; j < r.steps; j++) {
      const f = j / (r.steps - 1);
      planned.push({
        at: r.startAt.getTime() + Math.round(r.durationSeconds * 1000 * f),
        set: { [r.setting]: Math.round(r.from + (r.to - r.from) * f) },
      });
    }
  }
  return planned.sort((a, b) => a.at - b.at);
}

/** A scheduled change as the admin API answers it. */
export interface ChangeView {
  id: number;
  at: string;
  set: SettingValues;
  state: "scheduled" | "applied" | "cancelled";
  appliedAt: string | null;
}
