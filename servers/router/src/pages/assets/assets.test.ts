import { describe, expect, it } from "vitest";
import { assets, assetUrl } from ".";

describe("page assets", () => {
  it("are valid JavaScript, so no page script breaks at parse time", () => {
    for (const [name, asset] of Object.entries(assets)) {
      if (!name.endsWith(".js")) continue;
      expect(() => new Function(asset.body), name).not.toThrow();
    }
  });

  it("are addressed by a content hash, so they can be cached for good", () => {
    expect(assetUrl("queue.js")).toMatch(/^\/assets\/queue\.js\?v=[0-9a-f]{10}$/);
    expect(() => assetUrl("nope.js")).toThrow();
  });
});
