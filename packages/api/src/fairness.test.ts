import { describe, expect, it } from "vitest";
import { prequeueOrder, prequeueOrderKey, seedCommitment } from "./fairness";

const seed = `${"00".repeat(31)}01`;

describe("the pre-queue rule", () => {
  it("orders users by HMAC-SHA256(seed, userId), lowest first, whatever order they are given in", () => {
    const users = ["alice", "bob", "carol", "dave", "erin"];
    const order = prequeueOrder(seed, users);
    expect(prequeueOrder(seed, [...users].reverse())).toEqual(order);
    const keys = order.map((u) => prequeueOrderKey(seed, u));
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(order)).toEqual(new Set(users));
  });

  it("gives another order under another seed, and commits to the seed's bytes", () => {
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    expect(prequeueOrder("ff".repeat(32), users)).not.toEqual(prequeueOrder(seed, users));
    // Computed independently with Python's hashlib and hmac.
    expect(seedCommitment(seed)).toBe("ec4916dd28fc4c10d78e287ca5d9cc51ee1ae73cbfde08c6b37324cbfaac8bc5");
    expect(prequeueOrderKey(seed, "alice")).toBe(
      "03fa2122ad5408302eb0cf388dfc562b4717bd9016b558d4b4801300563e41c7",
    );
  });
});
