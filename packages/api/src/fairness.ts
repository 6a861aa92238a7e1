import { createHash, createHmac } from "node:crypto";

/**
 * The pre-queue rule (an event with `prequeue: "shuffle"`), in one place for the scheduler that
 * applies it and the verifier that checks it. Everyone waiting when the shuffle runs is ordered by
 * `HMAC-SHA256(key = the seed's 32 bytes, message = the user id in UTF-8)`, lowest digest first;
 * anyone holding the revealed seed and the entrants can recompute it.
 */
export function prequeueOrderKey(seedHex: string, userId: string): string {
  return createHmac("sha256", Buffer.from(seedHex, "hex")).update(userId, "utf8").digest("hex");
}

/** The commitment published from the event's creation: `sha256(seed bytes)`, lowercase hex. */
export function seedCommitment(seedHex: string): string {
  return createHash("sha256").update(Buffer.from(seedHex, "hex")).digest("hex");
}

/** `userIds` in pre-queue order (a new array). */
export function prequeueOrder(seedHex: string, userIds: readonly string[]): string[] {
  const keyed = userIds.map((u) => [prequeueOrderKey(seedHex, u), u] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, u]) => u);
}
