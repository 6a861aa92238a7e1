import { z } from "zod";

/**
 * The operator's kill switches (issue 13.1), per event and global. An event obeys a switch when
 * either its own or the global one is on.
 *
 * - `paused`: nobody is admitted (neither from the queue nor directly); waiters keep their place.
 * - `queueAll`: everyone goes through the waiting room, even under the RPM threshold.
 * - `entryClosed`: nobody new joins (`409 entry_closed`); people already waiting are served.
 */
export interface Switches {
  paused: boolean;
  queueAll: boolean;
  entryClosed: boolean;
}

export const SWITCH_NAMES = ["paused", "queueAll", "entryClosed"] as const;

export const NO_SWITCHES: Switches = { paused: false, queueAll: false, entryClosed: false };

/** A PUT changes the switches it names and leaves the others as they are. */
export const switchesSchema = z
  .object({
    paused: z.boolean().optional(),
    queueAll: z.boolean().optional(),
    entryClosed: z.boolean().optional(),
  })
  .strict()
  .refine((s) => SWITCH_NAMES.some((name) => s[name] !== undefined), {
    message: "name at least one of paused, queueAll, entryClosed",
  });

export type SwitchesInput = z.output<typeof switchesSchema>;

export function mergeSwitches(a: Switches, b: Partial<Switches>): Switches {
  return {
    paused: b.paused ?? a.paused,
    queueAll: b.queueAll ?? a.queueAll,
    entryClosed: b.entryClosed ?? a.entryClosed,
  };
}

/** What an event obeys: its own switches or the global ones. */
export function effectiveSwitches(own: Switches, global: Switches): Switches {
  return {
    paused: own.paused || global.paused,
    queueAll: own.queueAll || global.queueAll,
    entryClosed: own.entryClosed || global.entryClosed,
  };
}

/** GET/PUT /admin/api/events/:eventId/switches. */
export interface EventSwitchesBody {
  eventId: number;
  /** The event's own switches (kept in MySQL, so they survive a Redis loss). */
  switches: Switches;
  global: Switches;
  effective: Switches;
}

/** PUT answers: the state before and after, for the audit trail. */
export interface SwitchChangeBody<T> {
  before: T;
  after: T;
}
