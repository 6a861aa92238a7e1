import { createLogger } from "@rushgate/logger";
import { describe, expect, it } from "vitest";
import { createBaseApp } from "./app";
import { ADMIN_COOKIE, adminSession, requireAdmin, verifyAdminSession } from "./auth";
import { createMetrics } from "./metrics";

const TOKEN = "admin-token-for-tests";

function app() {
  const a = createBaseApp({
    logger: createLogger({ service: "test", level: "silent" }),
    metrics: createMetrics("test"),
    ready: async () => {},
  });
  // Echoes the authorization an upstream would receive when this request is forwarded.
  a.all("/admin/x", requireAdmin(TOKEN), (c) => c.json({ authorization: c.req.header("authorization") }));
  return a;
}

describe("admin sessions", () => {
  it("are signed with the admin token, expire, and cannot be forged", () => {
    const now = Date.now();
    const { value } = adminSession(TOKEN, now);
    expect(value).not.toContain(TOKEN);
    expect(verifyAdminSession(TOKEN, value, now + 1000)).toBe(true);
    expect(verifyAdminSession("another-admin-token", value, now)).toBe(false);
    expect(verifyAdminSession(TOKEN, value, now + 13 * 3600_000)).toBe(false);
    const [exp, sig] = value.split(".");
    expect(verifyAdminSession(TOKEN, `${Number(exp) + 1}.${sig}`, now)).toBe(false);
    for (const bad of [undefined, "", ".", "abc", "1.x", `${now + 1000}`])
      expect(verifyAdminSession(TOKEN, bad, now)).toBe(false);
  });
});

describe("requireAdmin", () => {
  const cookie = () => `${ADMIN_COOKIE}=${adminSession(TOKEN).value}`;
  const host = "router.test";

  it("accepts the bearer token, from anywhere, as before", async () => {
    const res = await app().request("http://router.test/admin/x", {
      method: "PUT",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect((await app().request("/admin/x", { headers: { authorization: "Bearer nope-nope" } })).status).toBe(
      401,
    );
    expect((await app().request("/admin/x")).status).toBe(401);
  });

  it("accepts the admin cookie and forwards it as the bearer token", async () => {
    const res = await app().request(`http://${host}/admin/x`, { headers: { cookie: cookie(), host } });
    expect(await res.json()).toEqual({ authorization: `Bearer ${TOKEN}` });
  });

  it("refuses cookie-authenticated unsafe requests from elsewhere with 403 JSON", async () => {
    const foreign: Record<string, string>[] = [
      {},
      { origin: "https://evil.example" },
      { origin: "null" },
      { referer: "https://evil.example/admin" },
      { referer: "not a url" },
    ];
    for (const headers of foreign) {
      const res = await app().request(`http://${host}/admin/x`, {
        method: "POST",
        headers: { cookie: cookie(), host, ...headers },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    const same: Record<string, string>[] = [
      { origin: `http://${host}` },
      { referer: `http://${host}/admin` },
    ];
    for (const headers of same) {
      const res = await app().request(`http://${host}/admin/x`, {
        method: "DELETE",
        headers: { cookie: cookie(), host, ...headers },
      });
      expect(res.status).toBe(200);
    }
  });

  it("lets a wrong header win over a good cookie", async () => {
    const res = await app().request(`http://${host}/admin/x`, {
      headers: { cookie: cookie(), host, authorization: "Bearer wrong-token" },
    });
    expect(res.status).toBe(401);
  });
});
