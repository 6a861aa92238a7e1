import { listLiveAdminTokens, touchAdminTokens } from "@rushgate/db";
import type { AdminTokenStore } from "@rushgate/redis";
import type { CouponDeps } from "./app";

type SyncDeps = Pick<CouponDeps, "db" | "logger"> & { adminTokens: AdminTokenStore };

/** Fills Redis's copy of the live named tokens from MySQL when Redis has lost it (or at start). */
export async function warmAdminTokensIfCold(deps: SyncDeps): Promise<boolean> {
  if (await deps.adminTokens.isWarm()) return false;
  const live = await listLiveAdminTokens(deps.db);
  await deps.adminTokens.warm(live);
  deps.logger.info({ tokens: live.length }, "admin tokens warmed from MySQL");
  return true;
}

/**
 * Keeps the named admin tokens usable: every `checkMs` re-warms Redis's copy if it is gone (Redis
 * keeps nothing on disk here, so a restart empties it; until then named tokens answer 503 and
 * ADMIN_TOKEN still works), and every `usesMs` moves last-use times from Redis into MySQL. A
 * failure (MySQL or Redis away) is logged and retried on the next round.
 */
export function startAdminTokenSync(deps: SyncDeps, options: { checkMs: number; usesMs: number }) {
  let lastUses = Date.now();
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      await warmAdminTokensIfCold(deps);
      if (Date.now() - lastUses >= options.usesMs) {
        lastUses = Date.now();
        const uses = await deps.adminTokens.uses();
        await touchAdminTokens(
          deps.db,
          uses.map((u) => ({ name: u.name, at: new Date(u.at) })),
        );
      }
    } catch (err) {
      deps.logger.warn({ err }, "admin token sync failed, retrying");
    } finally {
      running = false;
    }
  };
  void round();
  const timer = setInterval(round, options.checkMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
