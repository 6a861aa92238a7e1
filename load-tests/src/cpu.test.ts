import { describe, expect, it } from "vitest";
import { cpuPerRequest, cpuSeconds, listenOverflows } from "./cpu";

describe("CPU per request", () => {
  it("spreads each process's seconds over the requests and sums the server side", () => {
    const rows = [
      { name: "driver (this process)", seconds: 1 },
      { name: "router", seconds: 0.5 },
      { name: "redis-server", seconds: 0.25 },
    ];
    expect(cpuPerRequest(rows, 10_000, ["router", "redis-server"])).toEqual({
      byProcess: { "driver (this process)": 100, router: 50, "redis-server": 25 },
      server: 75,
    });
    expect(cpuPerRequest(rows, 0, ["router"]).server).toBeNaN();
  });

  it("reads this process's own CPU time from /proc", () => {
    expect(cpuSeconds(process.pid)).toBeGreaterThanOrEqual(0);
    expect(cpuSeconds(2 ** 30)).toBeNaN();
  });

  it("reads the kernel's listen-overflow count", () => {
    const count = listenOverflows();
    expect(Number.isInteger(count) && count >= 0).toBe(true);
  });
});
