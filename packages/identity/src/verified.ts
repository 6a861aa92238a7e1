/** What a signature check found, remembered until the identity expires. */
export interface Verified {
  userId: string;
  expiresAt: number;
}

/**
 * Tokens whose signature has been checked, until they expire: a client polling every 300 ms
 * sends the same token each time, and costs one signature check, not one per poll. Bounded: past
 * `size` entries the oldest is forgotten (and checked again if seen).
 */
export function createVerifiedCache(size: number) {
  const verified = new Map<string, Verified>();
  return {
    /** The identity of a token checked before: ok while unexpired, else expired (and forgotten). */
    get(
      token: string,
      now: number,
    ): ({ ok: true } & Verified) | { ok: false; reason: "expired" } | undefined {
      const hit = verified.get(token);
      if (!hit) return undefined;
      if (hit.expiresAt > now) return { ok: true, ...hit };
      verified.delete(token);
      return { ok: false, reason: "expired" };
    },
    set(token: string, identity: Verified): void {
      if (verified.size >= size) verified.delete(verified.keys().next().value as string);
      verified.set(token, identity);
    },
    get size() {
      return verified.size;
    },
  };
}
