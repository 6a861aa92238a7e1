import { createLogger } from "@rushgate/logger";
import { describe, expect, it } from "vitest";
import {
  ADMIN_COOKIE,
  type AdminTokenLookup,
  createAdminAuth,
  hashAdminToken,
  newAdminToken,
} from "./admin-auth";
import { createBaseApp } from "./app";
import { ACTOR_HEADER, type AuditEntry, adminApi } from "./audit";
import { requireAdmin } from "./auth";
import { createMetrics } from "./metrics";

const TOKEN = "admin-token-for-tests";

/** Redis's copy of the live tokens, as an interface: these tests are about what is done with it. */
function lookup(live: Map<string, string>, warm = true): AdminTokenLookup {
  return {
    find: async (hash) => {
      const name = live.get(hash);
      return name ? { name } : { name: null, warm };
    },
    used: async () => {},
  };
}

function setup(options: { trustActorHeader?: boolean; warm?: boolean } = {}) {
  const live = new Map<string, string>();
  const auth = createAdminAuth({ bootstrapToken: TOKEN, tokens: lookup(live, options.warm) });
  const named = newAdminToken();
  live.set(named.tokenHash, "oncall");
  const entries: AuditEntry[] = [];
  const app = createBaseApp({
    logger: createLogger({ service: "test", level: "silent" }),
    metrics: createMetrics("test"),
    ready: async () => {},
  });
  app.use(
    "/admin/api/*",
    adminApi({
      auth,
      record: async (e) => {
        entries.push(e);
      },
      source: "test",
      trustActorHeader: options.trustActorHeader ?? false,
    }),
  );
  app.all("/admin/api/x/:id", requireAdmin(), (c) => {
    c.set("auditBefore", { was: 1 });
    return c.json({ admin: c.get("admin") });
  });
  return { app, auth, live, named, entries };
}

const host = "router.test";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("admin sessions", () => {
  it("name the token and the operator, expire, and cannot be forged", async () => {
    const { auth, named } = setup();
    const now = Date.now();
    const { value } = auth.newSession(named.token, "Alice Kim", now);
    expect(value).not.toContain(named.token);
    expect(await auth.session(value, now + 1000)).toEqual({ token: "oncall", operator: "Alice Kim" });
    expect(await auth.session(value, now + 13 * 3600_000)).toBeNull();
    const other = createAdminAuth({ bootstrapToken: "another-admin-token", tokens: lookup(new Map()) });
    expect(await other.session(value, now)).toBeNull();
    const parts = value.split(".");
    parts[3] = Buffer.from("Mallory").toString("base64url");
    expect(await auth.session(parts.join("."), now)).toBeNull();
    for (const bad of [undefined, "", ".", "abc", "s2.1.x.y.z", `${now + 1000}`])
      expect(await auth.session(bad, now)).toBeNull();
  });

  it("die when their token is revoked", async () => {
    const { auth, live, named } = setup();
    const { value } = auth.newSession(named.token, "alice");
    expect(await auth.session(value)).not.toBeNull();
    live.delete(named.tokenHash);
    expect(await auth.session(value)).toBeNull();
  });
});

describe("adminApi", () => {
  it("accepts ADMIN_TOKEN as bootstrap and a live named token by its name", async () => {
    const { app, named } = setup();
    const boot = await app.request("/admin/api/x/1", { headers: bearer(TOKEN) });
    expect(await boot.json()).toEqual({ admin: { token: "bootstrap", operator: null } });
    const res = await app.request("/admin/api/x/1", { headers: bearer(named.token) });
    expect(await res.json()).toEqual({ admin: { token: "oncall", operator: null } });
    for (const headers of [{}, bearer("nope-nope"), bearer(`${named.token}x`), bearer("rga_guess")])
      expect((await app.request("/admin/api/x/1", { headers })).status).toBe(401);
  });

  it("answers 503, not 401, for a named token while Redis has lost its copy", async () => {
    const { app, named } = setup({ warm: false });
    expect((await app.request("/admin/api/x/1", { headers: bearer(TOKEN) })).status).toBe(200);
    const res = await app.request("/admin/api/x/1", { headers: bearer(`${named.token}x`) });
    expect(res.status).toBe(503);
  });

  it("asks for the copy to be refilled when it is gone, once, and then knows the token", async () => {
    const live = new Map<string, string>();
    let warm = false;
    let reloads = 0;
    const named = newAdminToken();
    const auth = createAdminAuth({
      bootstrapToken: TOKEN,
      tokens: {
        find: async (hash) => {
          const name = live.get(hash);
          return name ? { name } : { name: null, warm };
        },
        used: async () => {},
      },
      reload: async () => {
        reloads++;
        live.set(named.tokenHash, "oncall");
        warm = true;
      },
    });
    const found = await Promise.all([auth.bearer(named.token), auth.bearer(named.token)]);
    expect(found).toEqual([
      { token: "oncall", operator: null },
      { token: "oncall", operator: null },
    ]);
    expect(reloads).toBe(1);
  });

  it("records every unsafe call with who, route, params, before, body, status and request id", async () => {
    const { app, entries, named } = setup();
    await app.request("/admin/api/x/7?dry=1", {
      method: "PUT",
      headers: { ...bearer(named.token), "content-type": "application/json", "x-request-id": "req-1" },
      body: JSON.stringify({ rpmThreshold: 5, secretKey: "s3cret" }),
    });
    await app.request("/admin/api/x/7", { headers: bearer(named.token) });
    expect(entries).toEqual([
      {
        token: "oncall",
        operator: null,
        action: "PUT /admin/api/x/:id",
        target: "/admin/api/x/7",
        params: { id: "7", query: { dry: "1" } },
        before: { was: 1 },
        after: { rpmThreshold: 5, secretKey: "[redacted]" },
        status: 200,
        requestId: "req-1",
        source: "test",
      },
    ]);
  });

  it("records refused unsafe attempts without an actor", async () => {
    const { app, entries } = setup();
    await app.request("/admin/api/x/1", { method: "DELETE", headers: bearer("wrong-token") });
    expect(entries).toMatchObject([
      { token: null, operator: null, status: 401, after: { refused: "unauthorized" } },
    ]);
  });

  it("takes the operator from the session cookie and keeps the same-origin rule", async () => {
    const { app, auth, entries, named } = setup();
    const cookie = `${ADMIN_COOKIE}=${auth.newSession(named.token, "alice").value}`;
    const ok = await app.request(`http://${host}/admin/api/x/2`, {
      method: "POST",
      headers: { cookie, host, origin: `http://${host}` },
    });
    expect(await ok.json()).toEqual({ admin: { token: "oncall", operator: "alice" } });
    const foreign: Record<string, string>[] = [
      {},
      { origin: "https://evil.example" },
      { origin: "null" },
      { referer: "not a url" },
    ];
    for (const headers of foreign) {
      const res = await app.request(`http://${host}/admin/api/x/2`, {
        method: "POST",
        headers: { cookie, host, ...headers },
      });
      expect(res.status).toBe(403);
    }
    expect(entries.map((e) => [e.operator, e.status])).toEqual([
      ["alice", 200],
      ...Array(4).fill([null, 403]),
    ]);
  });

  it("lets a wrong header win over a good cookie", async () => {
    const { app, auth, named } = setup();
    const cookie = `${ADMIN_COOKIE}=${auth.newSession(named.token, "alice").value}`;
    const res = await app.request(`http://${host}/admin/api/x/1`, {
      headers: { cookie, host, ...bearer("wrong-token") },
    });
    expect(res.status).toBe(401);
  });

  it("trusts the actor header only where told to, and only with the router's signature", async () => {
    const router = setup();
    const forged = { [ACTOR_HEADER]: router.auth.assertion({ token: "bootstrap", operator: "root" }) };
    // The router ignores it: a client cannot name itself.
    expect((await router.app.request("/admin/api/x/1", { headers: forged })).status).toBe(401);
    const coupon = setup({ trustActorHeader: true });
    const res = await coupon.app.request("/admin/api/x/1", { headers: forged });
    expect(await res.json()).toEqual({ admin: { token: "bootstrap", operator: "root" } });
    const other = createAdminAuth({ bootstrapToken: "another-admin-token", tokens: lookup(new Map()) });
    const unsigned = { [ACTOR_HEADER]: other.assertion({ token: "bootstrap", operator: "root" }) };
    expect((await coupon.app.request("/admin/api/x/1", { headers: unsigned })).status).toBe(401);
    expect(
      (
        await coupon.app.request("/admin/api/x/1", {
          headers: { [ACTOR_HEADER]: "act1.bootstrap..9999999999999.x" },
        })
      ).status,
    ).toBe(401);
  });

  it("never keeps a token in clear: the store is keyed by its SHA-256", () => {
    const { token, tokenHash } = newAdminToken();
    expect(tokenHash).toBe(hashAdminToken(token));
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(token).toMatch(/^rga_[A-Za-z0-9_-]{43}$/);
  });
});
