import type { RedisClient } from "./client";
import type { Keys } from "./keys";

/** Set when the hash has been filled from MySQL; its absence means Redis lost the copy. */
const WARM = "_warm";

/** What a lookup of a named admin token finds in Redis's copy of MySQL's live tokens. */
export type TokenLookup = { name: string } | { name: null; warm: boolean };

/**
 * Redis's copy of the live named admin tokens (MySQL is the record of truth; Redis keeps nothing
 * on disk here). Every router and coupon server checks a token with one HMGET, so a revocation is
 * seen by all of them at the next request; the coupon servers keep it filled (re-warm when `_warm`
 * is gone, add on create, remove on revoke).
 */
export function adminTokenStore(redis: RedisClient, keys: Keys) {
  return {
    async find(tokenHash: string): Promise<TokenLookup> {
      const [name, warm] = await redis.hmget(keys.adminTokens, tokenHash, WARM);
      return name ? { name } : { name: null, warm: warm !== null };
    },
    async isWarm(): Promise<boolean> {
      return (await redis.hexists(keys.adminTokens, WARM)) === 1;
    },
    /** Replaces the whole copy in one transaction. */
    async warm(tokens: { tokenHash: string; name: string }[]): Promise<void> {
      const fields: string[] = [WARM, String(Date.now())];
      for (const t of tokens) fields.push(t.tokenHash, t.name);
      await redis
        .multi()
        .del(keys.adminTokens)
        .hset(keys.adminTokens, ...fields)
        .exec();
    },
    async add(tokenHash: string, name: string): Promise<void> {
      await redis.hset(keys.adminTokens, tokenHash, name);
    },
    async remove(tokenHash: string): Promise<void> {
      await redis.hdel(keys.adminTokens, tokenHash);
    },
    async used(name: string, at: number): Promise<void> {
      await redis.hset(keys.adminTokenUses, name, String(at));
    },
    /** The last use of every token name seen (one field per name ever created: bounded). */
    async uses(): Promise<{ name: string; at: number }[]> {
      const all = await redis.hgetall(keys.adminTokenUses);
      return Object.entries(all).map(([name, at]) => ({ name, at: Number(at) }));
    },
  };
}

export type AdminTokenStore = ReturnType<typeof adminTokenStore>;
