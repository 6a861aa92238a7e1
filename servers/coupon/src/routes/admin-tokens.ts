import { ApiError, adminTokenParamSchema, createAdminTokenSchema } from "@rushgate/api";
import {
  type AdminToken,
  findAdminToken,
  insertAdminToken,
  listAdminTokens,
  revokeAdminToken,
  touchAdminTokens,
} from "@rushgate/db";
import {
  type AppEnv,
  actorLabel,
  BOOTSTRAP_TOKEN_NAME,
  newAdminToken,
  requireAdmin,
  validate,
} from "@rushgate/service";
import type { Context, Hono } from "hono";
import type { CouponDeps } from "../app";

/** A token as the API shows it: never the secret, nor its hash. */
function tokenView(row: AdminToken) {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
  };
}

const who = (c: Context<AppEnv>) => {
  const actor = c.get("admin");
  if (!actor) throw new ApiError("unauthorized", "missing or wrong admin token");
  return actorLabel(actor);
};

/**
 * POST/GET /admin/api/tokens, DELETE /admin/api/tokens/:name. MySQL is the record of truth; Redis
 * holds the copy every server checks (admin-tokens.ts), updated here right after MySQL.
 */
export function registerAdminTokens(app: Hono<AppEnv>, deps: CouponDeps) {
  const admin = requireAdmin();

  app.post("/admin/api/tokens", admin, validate("json", createAdminTokenSchema), async (c) => {
    const { name } = c.req.valid("json");
    const taken = () =>
      new ApiError("name_taken", `a token named ${name} exists or existed (names are never reused)`);
    if (await findAdminToken(deps.db, { name })) throw taken();
    const { token, tokenHash } = newAdminToken();
    let row: AdminToken;
    try {
      row = await insertAdminToken(deps.db, { name, tokenHash, createdBy: who(c) });
    } catch (err) {
      // Two creations of one name at once: the unique index lets one through.
      if ((err as { cause?: { code?: string } }).cause?.code === "ER_DUP_ENTRY") throw taken();
      throw err;
    }
    await deps.adminTokens.add(tokenHash, name);
    c.get("log").info({ tokenName: name }, "admin token created");
    // The only time the token is ever shown.
    return c.json({ ...tokenView(row), token }, 201);
  });

  app.get("/admin/api/tokens", admin, async (c) => {
    const [rows, uses] = await Promise.all([listAdminTokens(deps.db), deps.adminTokens.uses()]);
    // Every server notes uses in Redis (at most one write per token per 10 s); they are moved
    // into MySQL here, when someone looks, rather than by a timer.
    const lastUse = new Map(uses.map((u) => [u.name, u.at]));
    const moved: { name: string; at: Date }[] = [];
    for (const row of rows) {
      const at = lastUse.get(row.name);
      if (at === undefined || at <= (row.lastUsedAt?.getTime() ?? 0)) continue;
      row.lastUsedAt = new Date(at);
      moved.push({ name: row.name, at: row.lastUsedAt });
    }
    await touchAdminTokens(deps.db, moved);
    // ADMIN_TOKEN is not in MySQL: it is configuration, rotated (not revoked) by a restart.
    return c.json({
      bootstrap: { name: BOOTSTRAP_TOKEN_NAME, revocable: false },
      tokens: rows.map(tokenView),
    });
  });

  app.delete("/admin/api/tokens/:name", admin, validate("param", adminTokenParamSchema), async (c) => {
    const { name } = c.req.valid("param");
    const row = await findAdminToken(deps.db, { name });
    if (!row) throw new ApiError("not_found", `no admin token named ${name}`);
    c.set("auditBefore", tokenView(row));
    if (!row.revokedAt) {
      await revokeAdminToken(deps.db, { id: row.id, by: who(c), at: new Date() });
      await deps.adminTokens.remove(row.tokenHash);
      c.get("log").info({ tokenName: name }, "admin token revoked");
    }
    const after = tokenView((await findAdminToken(deps.db, { name })) ?? row);
    c.set("auditAfter", after);
    return c.json(after);
  });
}
