import { trafficSchema } from "@rushgate/api";
import { gateSync } from "@rushgate/redis";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { RouterDeps } from "../app";

/** GET/PUT /admin/api/traffic — the global RPM threshold and live RPM per active event. */
export function registerAdminTraffic(app: Hono<AppEnv>, deps: RouterDeps) {
  const admin = requireAdmin();

  app.get("/admin/api/traffic", admin, async (c) => {
    const now = Date.now();
    const ids = (await deps.redis.zrangebyscore(deps.keys.events, now, "+inf")).map(Number);
    const [threshold, ...snapshots] = await Promise.all([
      deps.redis.get(deps.keys.threshold),
      ...ids.map((id) => gateSync(deps.redis, deps.keys.event(id), 0)),
    ]);
    const liveRpm: Record<string, number> = {};
    // Redis has every router's flushed counts; this router adds what it has not flushed yet.
    for (const [i, id] of ids.entries())
      liveRpm[String(id)] = (snapshots[i]?.liveRpm ?? 0) + deps.gate.unflushed(id);
    return c.json({
      rpmThreshold: threshold == null ? deps.env.DEFAULT_RPM_THRESHOLD : Number(threshold),
      liveRpm,
    });
  });

  app.put("/admin/api/traffic", admin, validate("json", trafficSchema), async (c) => {
    const { rpmThreshold } = c.req.valid("json");
    const previous = await deps.redis.get(deps.keys.threshold);
    c.set("auditBefore", {
      rpmThreshold: previous == null ? deps.env.DEFAULT_RPM_THRESHOLD : Number(previous),
    });
    await deps.redis.set(deps.keys.threshold, rpmThreshold);
    deps.gate.setGlobalThreshold(rpmThreshold);
    c.get("log").info({ rpmThreshold }, "rpm threshold changed");
    return c.json({ rpmThreshold });
  });
}
