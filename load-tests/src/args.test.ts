import { describe, expect, it } from "vitest";
import { parseBenchArgs, parseLoadArgs } from "./args";

describe("pnpm load arguments", () => {
  it("defaults to the published scenario against a stack of its own", () => {
    expect(parseLoadArgs([])).toMatchObject({
      vus: 4500,
      stock: 1000,
      pollMs: 300,
      rpmThreshold: 600,
      arrivalSeconds: 5,
      url: undefined,
      warmup: 1000,
      databaseUrl: "mysql://root@127.0.0.1:3306/rushgate_load",
    });
  });

  it("takes the options pnpm passes after --", () => {
    const opts = parseLoadArgs(["--", "--vus", "1000", "--poll-ms=200", "--arrival-seconds", "0"]);
    expect(opts).toMatchObject({ vus: 1000, pollMs: 200, arrivalSeconds: 0 });
  });

  it("targets a running router and checks its default database", () => {
    const opts = parseLoadArgs(["--url", "http://127.0.0.1:8080/"]);
    expect(opts.url).toBe("http://127.0.0.1:8080");
    expect(opts.databaseUrl).toBe("mysql://root@127.0.0.1:3306/rushgate");
    expect(opts.warmup).toBe(0);
  });

  it("refuses bad values naming the option", () => {
    expect(() => parseLoadArgs(["--vus", "0"])).toThrow(/--vus 0: expected an integer >= 1/);
    expect(() => parseLoadArgs(["--stock", "ten"])).toThrow(/--stock ten/);
    expect(() => parseLoadArgs(["--poll-ms", "1.5"])).toThrow(/--poll-ms/);
    expect(() => parseLoadArgs(["--url", "ftp://x"])).toThrow(/--url/);
    expect(() => parseLoadArgs(["--database-url", "postgres://x/y"])).toThrow(/--database-url/);
    expect(() => parseLoadArgs(["--nonsense"])).toThrow(/nonsense/);
  });
});

describe("pnpm bench arguments", () => {
  it("runs every phase, five rounds, by default", () => {
    expect(parseBenchArgs([])).toMatchObject({
      rounds: 5,
      drainJobs: 50_000,
      tickWaiting: 100_000,
      only: ["throughput", "round-trips", "drain", "tick"],
    });
  });

  it("runs only the phases asked for, and refuses unknown ones", () => {
    expect(parseBenchArgs(["--", "--only", "tick,drain"]).only).toEqual(["tick", "drain"]);
    expect(() => parseBenchArgs(["--only", "tick,speed"])).toThrow(/unknown phase "speed"/);
  });
});
