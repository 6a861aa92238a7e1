import { describe, expect, it } from "vitest";
import { pollTarget } from "./http";

describe("where a user polls", () => {
  it("follows the entry answer's pollUrl, a path or another origin", () => {
    expect(pollTarget({ status: "waiting", pollUrl: "/api/queue/7/status" }, 7)).toBe("/api/queue/7/status");
    expect(pollTarget({ pollUrl: "http://127.0.0.1:9/api/queue/7/status" }, 7)).toBe(
      "http://127.0.0.1:9/api/queue/7/status",
    );
  });

  it("falls back to the router's status path without one", () => {
    expect(pollTarget({ status: "waiting" }, 42)).toBe("/api/queue/42/status");
    expect(pollTarget({ pollUrl: "" }, 42)).toBe("/api/queue/42/status");
    expect(pollTarget({ pollUrl: 5 }, 42)).toBe("/api/queue/42/status");
  });
});
