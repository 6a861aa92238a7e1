import type { SettingValues } from "@rushgate/api";

/**
 * The what-if model behind POST /admin/api/events/:eventId/preview (issue 13; stated in the
 * README, "Scheduled changes"). A fluid simulation, one scheduler tick per step:
 *
 * - slot holders leave `running` at running / holdSeconds per second (Little's law: holdSeconds
 *   = running / measured admission rate, or / issue rate while nobody waits; actWithinSeconds when
 *   nothing is measured yet), and a share p = 1 - expired / admitted of them take a coupon (1
 *   until 20 admissions have been seen);
 * - arrivals join the queue at the live entry rate (live RPM / 60);
 * - each tick admits min(admitPerTick, runningCapacity - running, waiting, remaining - running),
 *   the scheduler's own rule, with the settings in force at that moment (the schedule's).
 *
 * `servedAt`: when the last person now waiting is admitted (or told sold out); `soldOutAt`: when
 * the stock runs out; either null when it does not happen before the event ends (or in 24 h).
 */
export interface PreviewInputs {
  now: number;
  endsAt: number;
  waiting: number;
  running: number;
  remaining: number;
  arrivalsPerSecond: number;
  /** Admissions per second measured by the scheduler (schedule-8.lua), null before any. */
  admissionRate: number | null;
  /** Issues per second measured by apply-changes-7.lua, null before any. */
  issueRate: number | null;
  /** The scheduler's totals: admitted from the queue, and slots that expired without an issue. */
  admittedTotal: number;
  expiredTotal: number;
  /** The scheduler's measured tick period (ms), null before two ticks. */
  tickMs: number | null;
  admitPerTick: number;
  runningCapacity: number;
  actWithinSeconds: number;
}

export interface ForecastPoint {
  t: number;
  waiting: number;
  running: number;
  remaining: number;
  admitPerTick: number;
}

export interface Forecast {
  servedAt: number | null;
  soldOutAt: number | null;
  series: ForecastPoint[];
}

export const DEFAULT_TICK_MS = 500;
const MAX_STEPS = 200_000;
const HORIZON_MS = 24 * 3_600_000;
const MAX_POINTS = 240;
const EPS = 1e-6;

/** Derived parameters of the model, answered with the preview so the operator sees them. */
export function modelParameters(i: PreviewInputs) {
  const tickSeconds = (i.tickMs ?? DEFAULT_TICK_MS) / 1000;
  const outflow = i.admissionRate || i.issueRate || 0;
  const holdSeconds = outflow > 0 ? i.running / outflow : i.actWithinSeconds;
  const issueShare =
    i.admittedTotal >= 20 ? Math.min(1, Math.max(0, 1 - i.expiredTotal / i.admittedTotal)) : 1;
  return { tickSeconds, holdSeconds, issueShare };
}

export function forecast(inputs: PreviewInputs, changes: { at: number; set: SettingValues }[]): Forecast {
  const { tickSeconds, holdSeconds, issueShare } = modelParameters(inputs);
  const horizon = Math.max(0, Math.min(inputs.endsAt, inputs.now + HORIZON_MS) - inputs.now) / 1000;
  const dt = Math.max(tickSeconds, horizon / MAX_STEPS);
  const perStep = dt / tickSeconds;
  const timeline = [...changes].sort((a, b) => a.at - b.at);
  let next = 0;
  let admitPerTick = inputs.admitPerTick;
  let capacity = inputs.runningCapacity;
  let [w, r, s] = [inputs.waiting, inputs.running, inputs.remaining];
  const cohort = w;
  let served = 0;
  let servedAt: number | null = cohort <= EPS ? inputs.now : null;
  let soldOutAt: number | null = s <= EPS ? inputs.now : null;
  if (soldOutAt !== null) servedAt ??= inputs.now;
  const points: ForecastPoint[] = [];
  const point = (t: number) => points.push({ t, waiting: w, running: r, remaining: s, admitPerTick });
  point(inputs.now);
  const steps = Math.ceil(horizon / dt);
  for (let step = 1; step <= steps && (servedAt === null || soldOutAt === null); step++) {
    const t = inputs.now + step * dt * 1000;
    while (next < timeline.length && (timeline[next]?.at ?? Number.POSITIVE_INFINITY) <= t) {
      const set = timeline[next++]?.set ?? {};
      if (typeof set.admitPerTick === "number") admitPerTick = set.admitPerTick;
      if (typeof set.runningCapacity === "number") capacity = set.runningCapacity;
    }
    const leaving = holdSeconds <= dt ? r : (r * dt) / holdSeconds;
    const issued = Math.min(s, leaving * issueShare);
    s -= issued;
    r = Math.max(0, r - leaving);
    w += inputs.arrivalsPerSecond * dt;
    const n = Math.max(0, Math.min(admitPerTick * perStep, capacity - r, w, s - r));
    w -= n;
    r += n;
    served += n;
    if (servedAt === null && served >= cohort - EPS) servedAt = t;
    if (soldOutAt === null && s <= EPS) {
      soldOutAt = t;
      // The scheduler clears the queue once the stock is gone: nobody waits for nothing.
      servedAt ??= t;
      w = 0;
    }
    point(t);
    // Nothing changes any more: stop (the stock lasts beyond the horizon).
    if (servedAt !== null && w <= EPS && r <= EPS && inputs.arrivalsPerSecond === 0) break;
  }
  const every = Math.ceil(points.length / MAX_POINTS);
  const series = points.filter((_, idx) => idx % every === 0 || idx === points.length - 1);
  return { servedAt, soldOutAt, series };
}
