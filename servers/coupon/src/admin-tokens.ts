import { listLiveAdminTokens } from "@rushgate/db";
import type { AdminTokenStore } from "@rushgate/redis";
import type { CouponDeps } from "./app";

type SyncDeps = Pick<CouponDeps, "db" | "logger"> & { adminTokens: AdminTokenStore };

/**
 * Fills Redis's copy of the live named tokens from MySQL when Redis has lost it: at start, and
 * when a router or coupon server finds it gone (createAdminAuth's `reload`). Until then named
 * tokens answer 503 and ADMIN_TOKEN goes on working.
 */
export async function warmAdminTokensIfCold(deps: SyncDeps): Promise<boolean> {
  if (await deps.adminTokens.isWarm()) return false;
  const live = await listLiveAdminTokens(deps.db);
  await deps.adminTokens.warm(live);
  deps.logger.info({ tokens: live.length }, "admin tokens warmed from MySQL");
  return true;
}
