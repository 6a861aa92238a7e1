import type { PlannedChange } from "@rushgate/api";
import { gateSync, parseMeta, pendingChanges, readFlow } from "@rushgate/redis";
import type { CouponDeps } from "../app";
import { type Forecast, forecast, modelParameters, type PreviewInputs } from "../preview";

/**
 * The what-if of a proposed schedule: the model (../preview.ts) run from the live queue twice,
 * with the settings and pending changes of today ("current") and with the proposal added.
 */
export async function previewSchedule(deps: CouponDeps, eventId: number, proposal: PlannedChange[]) {
  const k = deps.keys.event(eventId);
  const [gate, metaHash, rate, flow, pending] = await Promise.all([
    gateSync(deps.redis, k, 0),
    deps.redis.hgetall(k.meta),
    deps.redis.hget(k.sched, "rate"),
    readFlow(deps.redis, k),
    pendingChanges(deps.redis, k),
  ]);
  const meta = parseMeta(metaHash);
  if (!meta) throw new Error(`event ${eventId} left Redis during a preview`);
  const inputs: PreviewInputs = {
    now: gate.now,
    endsAt: meta.endsAt,
    waiting: gate.waiting,
    running: gate.running,
    remaining: gate.remaining,
    arrivalsPerSecond: gate.liveRpm / 60,
    admissionRate: rate ? Number(rate) : null,
    issueRate: flow.issueRate,
    admittedTotal: flow.admitted,
    expiredTotal: flow.expired,
    tickMs: flow.tickMs,
    admitPerTick: meta.admitPerTick,
    runningCapacity: meta.runningCapacity,
    actWithinSeconds: meta.actWithinSeconds,
  };
  const view = (f: Forecast) => ({
    servedAt: iso(f.servedAt),
    soldOutAt: iso(f.soldOutAt),
    series: f.series.map((p) => ({ ...p, t: Math.round(p.t) })),
  });
  return {
    now: new Date(inputs.now).toISOString(),
    inputs: { ...inputs, ...modelParameters(inputs) },
    current: view(forecast(inputs, pending)),
    proposed: view(forecast(inputs, [...pending, ...proposal])),
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
