import { describe, expect, it, vi } from "vitest";
import { parseBenchArgs, parseLoadArgs } from "./args";

describe("pnpm load arguments", () => {
  it("defaults to the published scenario against a stack of its own", () => {
    expect(parseLoadArgs([])).toMatchObject({
      vus: 4500,
      stock: 1000,
      pollMs: 300,
      rpmThreshold: 600,
      arrival: "all-at-once",
      arrivalSeconds: 0,
      url: undefined,
      warmup: 1000,
      databaseUrl: "mysql://root@127.0.0.1:3306/rushgate_load",
      redisUrl: undefined,
    });
  });

  it("takes the options pnpm passes after --", () => {
    const opts = parseLoadArgs(["--", "--vus", "1000", "--poll-ms=200", "--redis-url", "redis://h:1/"]);
    expect(opts).toMatchObject({ vus: 1000, pollMs: 200, redisUrl: "redis://h:1" });
  });

  it("spreads arrivals only when asked, over 5 s unless told", () => {
    expect(parseLoadArgs(["--arrival", "spread"])).toMatchObject({ arrival: "spread", arrivalSeconds: 5 });
    expect(parseLoadArgs(["--arrival", "spread", "--arrival-seconds", "0"]).arrivalSeconds).toBe(0);
    expect(() => parseLoadArgs(["--arrival", "later"])).toThrow(
      /--arrival later: expected all-at-once or spread/,
    );
    expect(() => parseLoadArgs(["--arrival-seconds", "5"])).toThrow(/applies to --arrival spread only/);
  });

  it("has no shared connection pool to size any more", () => {
    expect(() => parseLoadArgs(["--connections", "512"])).toThrow(/connections/);
  });

  it("targets a running router and checks its default database", () => {
    const opts = parseLoadArgs(["--url", "http://127.0.0.1:8080/"]);
    expect(opts.url).toBe("http://127.0.0.1:8080");
    expect(opts.databaseUrl).toBe("mysql://root@127.0.0.1:3306/rushgate");
    expect(opts.warmup).toBe(0);
  });

  it("signs identities with --identity-secret, else $IDENTITY_SECRET, else the dev secret", () => {
    vi.stubEnv("IDENTITY_SECRET", "");
    expect(parseLoadArgs([]).identitySecret).toBe("dev-identity-secret-not-for-production");
    vi.stubEnv("IDENTITY_SECRET", "e".repeat(32));
    expect(parseLoadArgs([]).identitySecret).toBe("e".repeat(32));
    expect(parseLoadArgs(["--identity-secret", "s".repeat(32)]).identitySecret).toBe("s".repeat(32));
    vi.unstubAllEnvs();
  });

  it("refuses bad values naming the option", () => {
    expect(() => parseLoadArgs(["--vus", "0"])).toThrow(/--vus 0: expected an integer >= 1/);
    expect(() => parseLoadArgs(["--stock", "ten"])).toThrow(/--stock ten/);
    expect(() => parseLoadArgs(["--poll-ms", "1.5"])).toThrow(/--poll-ms/);
    expect(() => parseLoadArgs(["--url", "ftp://x"])).toThrow(/--url/);
    expect(() => parseLoadArgs(["--database-url", "postgres://x/y"])).toThrow(/--database-url/);
    expect(() => parseLoadArgs(["--redis-url", "http://x"])).toThrow(/--redis-url/);
    expect(() => parseLoadArgs(["--nonsense"])).toThrow(/nonsense/);
  });
});

describe("pnpm bench arguments", () => {
  it("runs every phase, five rounds, by default", () => {
    expect(parseBenchArgs([])).toMatchObject({
      rounds: 5,
      drainJobs: 50_000,
      tickWaiting: 100_000,
      burstUsers: 4500,
      burstRounds: 3,
      burstPolls: 5,
      burstPollMs: 300,
      streamUsers: 2000,
      streamRounds: 3,
      holdStreams: 0,
      only: ["burst", "throughput", "round-trips", "streams", "drain", "tick"],
    });
  });

  it("holds streams only when asked", () => {
    const opts = parseBenchArgs(["--only", "streams", "--stream-users", "500", "--hold-streams", "20000"]);
    expect(opts).toMatchObject({ only: ["streams"], streamUsers: 500, holdStreams: 20_000, holdSeconds: 30 });
    expect(() => parseBenchArgs(["--hold-streams", "-1"])).toThrow(/--hold-streams/);
  });

  it("sizes the burst from its options", () => {
    const opts = parseBenchArgs([
      "--only",
      "burst",
      "--burst-users",
      "15000",
      "--burst-rounds=5",
      "--burst-polls",
      "0",
    ]);
    expect(opts).toMatchObject({ only: ["burst"], burstUsers: 15000, burstRounds: 5, burstPolls: 0 });
    expect(() => parseBenchArgs(["--burst-users", "0"])).toThrow(/--burst-users 0: expected an integer >= 1/);
    expect(() => parseBenchArgs(["--burst-poll-ms", "x"])).toThrow(/--burst-poll-ms/);
  });

  it("runs only the phases asked for, and refuses unknown ones", () => {
    expect(parseBenchArgs(["--", "--only", "tick,drain"]).only).toEqual(["tick", "drain"]);
    expect(() => parseBenchArgs(["--only", "tick,speed"])).toThrow(/unknown phase "speed"/);
  });
});
