import { describe, expect, it } from "vitest";
import { adminToken, admissionSecret, commonEnv, databaseUrl, metricsPort, parseEnv, port } from "./env";

const shape = {
  ...commonEnv,
  PORT: port(8080),
  DATABASE_URL: databaseUrl,
  ADMIN_TOKEN: adminToken,
  ADMISSION_SECRET: admissionSecret,
};

describe("configuration", () => {
  it("works with no variables at all, using SPEC §7's defaults", () => {
    expect(parseEnv(shape, {})).toMatchObject({
      PORT: 8080,
      REDIS_URL: "redis://127.0.0.1:6379",
      DATABASE_URL: "mysql://root@127.0.0.1:3306/rushgate",
      REDIS_PREFIX: "rg",
    });
  });

  it("refuses bad values with a message naming each variable", () => {
    const bad = () =>
      parseEnv(shape, { PORT: "eighty", REDIS_URL: "http://x", DATABASE_URL: "postgres://x/y" });
    for (const name of ["PORT", "REDIS_URL", "DATABASE_URL"]) expect(bad).toThrow(new RegExp(`\\b${name}: `));
    expect(() => parseEnv(shape, { PORT: "70000" })).toThrow(/PORT/);
    expect(() => parseEnv(shape, { ADMIN_TOKEN: "short" })).toThrow(/ADMIN_TOKEN/);
  });

  it("refuses the development secrets in production", () => {
    expect(() => parseEnv(shape, { NODE_ENV: "production" })).toThrow(/ADMIN_TOKEN[\s\S]*ADMISSION_SECRET/);
    const strong = "x".repeat(32);
    expect(
      parseEnv(shape, { NODE_ENV: "production", ADMIN_TOKEN: strong, ADMISSION_SECRET: strong }).ADMIN_TOKEN,
    ).toBe(strong);
  });

  it("puts metrics on PORT + 1000 unless METRICS_PORT says otherwise", () => {
    expect(metricsPort(parseEnv(shape, {}))).toBe(9080);
    expect(metricsPort(parseEnv(shape, { PORT: "8181" }))).toBe(9181);
    expect(metricsPort(parseEnv(shape, { PORT: "0" }))).toBe(0);
    expect(metricsPort(parseEnv(shape, { METRICS_PORT: "9100" }))).toBe(9100);
    expect(() => parseEnv(shape, { METRICS_PORT: "metrics" })).toThrow(/METRICS_PORT/);
  });
});
