import { redisNow } from "@rushgate/redis";
import { TEST_ADMIN_TOKEN, TEST_ADMISSION_SECRET } from "@rushgate/testing";
import { mintToken } from "@rushgate/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

let p: Platform;
let openEvent: number;

beforeAll(async () => {
  p = await startPlatform();
  openEvent = await p.client.createEvent({ stock: 5 });
});
afterAll(async () => {
  await p.close();
});

function expectError(res: { status: number; body: unknown }, status: number, code: string) {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
}

async function admittedToken(eventId: number, user: string): Promise<string> {
  const res = await p.client.enter(eventId, user);
  expect(res.status).toBe(200);
  return String(res.body.token);
}

describe("every error of SPEC §6 from a real request", () => {
  it("400 invalid_user for a missing or malformed user id, on every user endpoint", async () => {
    for (const user of [undefined, "", "has space", "a".repeat(65), "semi;colon", "ünï"]) {
      const headers: Record<string, string> = user === undefined ? {} : { "x-user-id": user };
      expectError(
        await p.client.call("POST", `/api/events/${openEvent}/entry`, { headers }),
        400,
        "invalid_user",
      );
      expectError(
        await p.client.call("GET", `/api/queue/${openEvent}/status`, { headers }),
        400,
        "invalid_user",
      );
      expectError(
        await p.client.call("POST", `/api/events/${openEvent}/issue`, { headers }),
        400,
        "invalid_user",
      );
      expectError(await p.client.call("GET", "/api/me/coupons", { headers }), 400, "invalid_user");
    }
  });

  it("takes the user id from the uid cookie when there is no header", async () => {
    const res = await p.client.call("POST", `/api/events/${openEvent}/entry`, {
      headers: { cookie: "uid=cookie_user" },
    });
    expect(res.status).toBe(200);
    expect(String(res.body.token)).toContain(".cookie_user.");
  });

  it("400 invalid_request for malformed event ids and bodies", async () => {
    for (const id of ["abc", "0", "-1", "1.5", "9".repeat(30)]) {
      expectError(
        await p.client.call("POST", `/api/events/${id}/entry`, { user: "u" }),
        400,
        "invalid_request",
      );
      expectError(await p.client.call("GET", `/api/events/${id}`), 400, "invalid_request");
    }
    const admin = { token: TEST_ADMIN_TOKEN };
    expectError(
      await p.client.call("POST", "/admin/api/events", {
        ...admin,
        raw: "{not json",
        headers: { "content-type": "application/json" },
      }),
      400,
      "invalid_request",
    );
    expectError(
      await p.client.call("POST", "/admin/api/events", { ...admin, body: { name: "x" } }),
      400,
      "invalid_request",
    );
    const now = Date.now();
    expectError(
      await p.client.call("POST", "/admin/api/events", {
        ...admin,
        body: {
          name: "x",
          stock: 1,
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now - 1).toISOString(),
        },
      }),
      400,
      "invalid_request",
    );
    expectError(
      await p.client.call("POST", "/admin/api/events", {
        ...admin,
        body: { name: "x", stock: -1, startsAt: "soon", endsAt: "later" },
      }),
      400,
      "invalid_request",
    );
    expectError(
      await p.client.call("PUT", "/admin/api/traffic", { ...admin, body: { rpmThreshold: -5 } }),
      400,
      "invalid_request",
    );
    expectError(
      await p.client.call("PUT", "/admin/api/traffic", { ...admin, body: { rpmThreshold: 1.5 } }),
      400,
      "invalid_request",
    );
    expectError(
      await p.client.call("PUT", "/admin/api/traffic", { ...admin, body: [] }),
      400,
      "invalid_request",
    );
  });

  it("401 unauthorized on admin endpoints without the right token, and nothing changes", async () => {
    const before = await p.client.call("GET", "/admin/api/traffic", { token: TEST_ADMIN_TOKEN });
    for (const token of [undefined, "wrong", `${TEST_ADMIN_TOKEN}x`]) {
      expectError(await p.client.call("GET", "/admin/api/traffic", { token }), 401, "unauthorized");
      expectError(
        await p.client.call("PUT", "/admin/api/traffic", { token, body: { rpmThreshold: 1 } }),
        401,
        "unauthorized",
      );
      expectError(await p.client.call("POST", "/admin/api/events", { token, body: {} }), 401, "unauthorized");
      expectError(
        await p.client.call("GET", `/admin/api/events/${openEvent}/stats`, { token }),
        401,
        "unauthorized",
      );
    }
    const after = await p.client.call("GET", "/admin/api/traffic", { token: TEST_ADMIN_TOKEN });
    expect(after.body.rpmThreshold).toBe(before.body.rpmThreshold);
  });

  it("403 not_admitted for no token, a forged, an expired, another user's and another event's token", async () => {
    const other = await p.client.createEvent({ stock: 5 });
    const mine = await admittedToken(openEvent, "victim");
    const now = Date.now();
    const cases: (string | undefined)[] = [
      undefined,
      "garbage",
      mintToken("not-the-secret-but-long-enough", {
        eventId: openEvent,
        userId: "mallory",
        expiresAt: now + 60_000,
      }),
      mintToken(TEST_ADMISSION_SECRET, { eventId: openEvent, userId: "mallory", expiresAt: now - 1 }),
      await admittedToken(other, "mallory"),
    ];
    for (const token of cases) {
      expectError(await p.client.issue(openEvent, "mallory", token), 403, "not_admitted");
    }
    // The victim's own token, presented by someone else.
    expectError(await p.client.issue(openEvent, "mallory", mine), 403, "not_admitted");
    // A token signed right but for a user who never took a slot (skipping the queue).
    const skipper = mintToken(TEST_ADMISSION_SECRET, {
      eventId: openEvent,
      userId: "skipper",
      expiresAt: now + 60_000,
    });
    expectError(await p.client.issue(openEvent, "skipper", skipper), 403, "not_admitted");
    expect(await p.redis.get(p.keys.event(openEvent).remaining)).toBe("5");
    expect(await p.redis.hlen(p.keys.event(openEvent).issued)).toBe(0);
  });

  it("404 event_not_found, not_in_queue and not_found", async () => {
    expectError(await p.client.enter(99_999_999, "u"), 404, "event_not_found");
    expectError(await p.client.call("GET", "/api/events/99999999"), 404, "event_not_found");
    expectError(await p.client.stats(99_999_999), 404, "event_not_found");
    expectError(await p.client.status(openEvent, "never-entered"), 404, "not_in_queue");
    expectError(await p.client.call("GET", "/api/nothing-here"), 404, "not_found");
  });

  it("409 already_issued, 409 event_not_open and 410 sold_out", async () => {
    const single = await p.client.createEvent({ stock: 1 });
    const token = await admittedToken(single, "first");
    expect((await p.client.issue(single, "first", token)).status).toBe(201);
    expectError(await p.client.issue(single, "first", token), 409, "already_issued");
    const second = await p.client.enter(single, "second");
    expectError(second, 410, "sold_out");

    const now = Date.now();
    const endsAt = now + 1_500;
    const ending = await p.client.createEvent({
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    });
    const late = await admittedToken(ending, "late");
    // The event has ended by the clock the issue script reads (Redis's).
    expect(
      await waitFor(
        () => redisNow(p.redis),
        (t) => t >= endsAt,
      ),
    ).toBeGreaterThanOrEqual(endsAt);
    expectError(await p.client.issue(ending, "late", late), 409, "event_not_open");
    await waitFor(
      () => p.client.enter(ending, "later"),
      (r) => r.status === 409,
    );
    expectError(await p.client.enter(ending, "later"), 409, "event_not_open");
  });

  it("413 for a 20 KiB body, on the router and on the servers behind it", async () => {
    const big = JSON.stringify({ name: "x".repeat(20 * 1024) });
    const headers = { "content-type": "application/json" };
    expectError(
      await p.client.call("POST", "/admin/api/events", { token: TEST_ADMIN_TOKEN, raw: big, headers }),
      413,
      "payload_too_large",
    );
    expectError(
      await p.client.call("POST", `/api/events/${openEvent}/entry`, { user: "u", raw: big, headers }),
      413,
      "payload_too_large",
    );
    const direct = await fetch(`${p.coupon.url}/admin/api/events`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: big,
    });
    expect(direct.status).toBe(413);
  });

  it("answers health and readiness on every server, Prometheus metrics only on its metrics port", async () => {
    for (const server of [p.router, p.waitingRoom, p.coupon, p.issuer]) {
      expect((await fetch(`${server?.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${server?.url}/readyz`)).json()).toEqual({ status: "ready" });
      const onPublicPort = await fetch(`${server?.url}/metrics`);
      expect(onPublicPort.status).toBe(404);
      expect(await onPublicPort.text()).not.toContain("process_cpu_seconds_total");
      expect(server?.metricsUrl).not.toBe(server?.url);
      const metrics = await (await fetch(`${server?.metricsUrl}/metrics`)).text();
      expect(metrics).toContain("process_cpu_seconds_total");
    }
    // Through the router, as the Ingress would send it: not found.
    expect((await p.client.call("GET", "/metrics")).status).toBe(404);
    const routerMetrics = await (await fetch(`${p.router.metricsUrl}/metrics`)).text();
    expect(routerMetrics).toContain("rushgate_gate_decisions_total");
  });
});
