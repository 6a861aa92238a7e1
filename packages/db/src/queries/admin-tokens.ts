import { asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type AdminToken, adminTokens } from "../schema";

export async function insertAdminToken(
  db: Db,
  values: { name: string; tokenHash: string; createdBy: string },
): Promise<AdminToken> {
  const [result] = await db.insert(adminTokens).values(values);
  const row = await findAdminToken(db, { id: result.insertId });
  if (!row) throw new Error(`admin token ${result.insertId} vanished after insert`);
  return row;
}

export async function findAdminToken(
  db: Db,
  params: { id: number } | { name: string },
): Promise<AdminToken | undefined> {
  const where = "id" in params ? eq(adminTokens.id, params.id) : eq(adminTokens.name, params.name);
  const [row] = await db.select().from(adminTokens).where(where).limit(1);
  return row;
}

export async function listAdminTokens(db: Db): Promise<AdminToken[]> {
  return db.select().from(adminTokens).orderBy(asc(adminTokens.id));
}

/** The tokens that still work: what the Redis copy is warmed from. */
export async function listLiveAdminTokens(db: Db): Promise<Pick<AdminToken, "id" | "name" | "tokenHash">[]> {
  return db
    .select({ id: adminTokens.id, name: adminTokens.name, tokenHash: adminTokens.tokenHash })
    .from(adminTokens)
    .where(isNull(adminTokens.revokedAt));
}

/** Marks a token revoked once; revoking it again changes nothing. */
export async function revokeAdminToken(db: Db, params: { id: number; by: string; at: Date }): Promise<void> {
  await db
    .update(adminTokens)
    .set({ revokedAt: params.at, revokedBy: params.by })
    .where(sql`${adminTokens.id} = ${params.id} AND ${adminTokens.revokedAt} IS NULL`);
}

/** Moves last-use times forward (never back), as collected in Redis by every server. */
export async function touchAdminTokens(db: Db, uses: { name: string; at: Date }[]): Promise<void> {
  for (const use of uses) {
    await db
      .update(adminTokens)
      .set({ lastUsedAt: use.at })
      .where(
        sql`${adminTokens.name} = ${use.name} AND (${adminTokens.lastUsedAt} IS NULL OR ${adminTokens.lastUsedAt} < ${use.at})`,
      );
  }
}
