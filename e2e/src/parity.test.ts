import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";

/**
 * The router's hot routes are served two ways: by the raw core on Node's request (what a rush
 * hits) and by the hono app (browsers, unusual requests, `app.request`). Both are built from one
 * route list (routes/api.ts); this table sends every request shape through both and requires the
 * same status, body and headers.
 */
let p: Platform;
const ctx: Record<string, number | string> = {};
const admin = { token: TEST_ADMIN_TOKEN };

beforeAll(async () => {
  p = await startPlatform({ env: { RATE_LIMIT_USER_PER_SEC: "1", RATE_LIMIT_USER_BURST: "3" } });
  const now = Date.now();
  ctx.open = await p.client.createEvent({ stock: 50 });
  // Upcoming: people may enter and wait, and nobody is admitted, so the waiting states hold still.
  ctx.queued = await p.client.createEvent({
    stock: 50,
    startsAt: new Date(now + 3_600_000).toISOString(),
    endsAt: new Date(now + 7_200_000).toISOString(),
  });
  // A shuffled pre-queue before its start: waiters have no position yet.
  ctx.prequeued = await p.client.createEvent({
    stock: 50,
    prequeue: "shuffle",
    startsAt: new Date(now + 3_600_000).toISOString(),
    endsAt: new Date(now + 7_200_000).toISOString(),
  });
  ctx.soldOut = await p.client.createEvent({ stock: 1 });
  // Kill switches (issue 13.1): a paused line with a waiter, and an event closed to newcomers.
  ctx.paused = await p.client.createEvent({ stock: 50, rpmThreshold: 0 });
  ctx.closed = await p.client.createEvent({ stock: 50 });
  for (const [id, body] of [
    [ctx.paused, { paused: true }],
    [ctx.closed, { entryClosed: true }],
  ] as const)
    expect((await p.client.call("PUT", `/admin/api/events/${id}/switches`, { ...admin, body })).status).toBe(
      200,
    );
  expect((await p.client.enter(Number(ctx.paused), "pw1")).body).toMatchObject({ paused: true });
  ctx.ended = await p.client.createEvent({
    startsAt: new Date(now - 3_600_000).toISOString(),
    endsAt: new Date(now + 1_500).toISOString(),
  });
  // States the table reads: a waiting user, an admitted one, one who has a coupon.
  for (const w of ["w1", "w2", "w3", "w4", "w5", "w6"]) {
    expect((await p.client.enter(Number(ctx.queued), w)).status).toBe(202);
    expect((await p.client.enter(Number(ctx.prequeued), w)).body).toMatchObject({ position: null });
  }
  const admitted = await p.client.enter(Number(ctx.open), "holder");
  expect(admitted.status).toBe(200);
  ctx.holderToken = String(admitted.body.token);
  expect(await p.client.rush(Number(ctx.open), "owner")).toBe("issued");
  expect(await p.client.rush(Number(ctx.soldOut), "taker")).toBe("issued");
  // The ended event's window closes: wait for that state rather than a moment.
  const deadline = Date.now() + 10_000;
  while ((await p.client.enter(Number(ctx.ended), `late-${Date.now()}`)).status !== 409) {
    if (Date.now() > deadline) throw new Error("the event did not end");
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  await p?.close();
});

interface Shape {
  name: string;
  method: "GET" | "POST" | "DELETE";
  path: () => string;
  headers?: () => Record<string, string>;
  /** Requests sent first on each path (e.g. to spend a rate limit). */
  before?: number;
  /** The answer carries a token made afresh on each request (its expiry moves with the clock). */
  fresh?: boolean;
}

const user = (id: string, extra: Record<string, string> = {}) => ({ "x-user-id": id, ...extra });

const shapes: Shape[] = [
  {
    name: "status, waiting",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status`,
    headers: () => user("w1"),
  },
  {
    name: "status, waiting for the pre-queue's shuffle",
    method: "GET",
    path: () => `/api/queue/${ctx.prequeued}/status`,
    headers: () => user("w6"),
  },
  {
    name: "status, admitted",
    method: "GET",
    path: () => `/api/queue/${ctx.open}/status`,
    headers: () => user("holder"),
  },
  {
    name: "status, issued",
    method: "GET",
    path: () => `/api/queue/${ctx.open}/status`,
    headers: () => user("owner"),
    fresh: true,
  },
  {
    name: "status, not in queue",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status`,
    headers: () => user("nobody-1"),
  },
  {
    name: "status, sold out",
    method: "GET",
    path: () => `/api/queue/${ctx.soldOut}/status`,
    headers: () => user("nobody-2"),
  },
  {
    name: "status, ended",
    method: "GET",
    path: () => `/api/queue/${ctx.ended}/status`,
    headers: () => user("nobody-3"),
  },
  {
    name: "status, unknown event",
    method: "GET",
    path: () => "/api/queue/999999999/status",
    headers: () => user("nobody-4"),
  },
  {
    name: "status, bad event id",
    method: "GET",
    path: () => "/api/queue/abc/status",
    headers: () => user("nobody-5"),
  },
  {
    name: "status, bad user",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status`,
    headers: () => user("no spaces allowed"),
  },
  { name: "status, no user", method: "GET", path: () => `/api/queue/${ctx.queued}/status` },
  {
    name: "status, query string",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status?t=1`,
    headers: () => user("w2"),
  },
  {
    name: "status, over the per-user limit",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status`,
    headers: () => user("greedy"),
    before: 5,
  },
  {
    name: "entry, queued again",
    method: "POST",
    path: () => `/api/events/${ctx.queued}/entry`,
    headers: () => user("w3"),
  },
  {
    name: "entry, pre-queue before the shuffle",
    method: "POST",
    path: () => `/api/events/${ctx.prequeued}/entry`,
    headers: () => user("w3"),
  },
  {
    name: "entry, admitted again",
    method: "POST",
    path: () => `/api/events/${ctx.open}/entry`,
    headers: () => user("holder"),
  },
  {
    name: "status, paused",
    method: "GET",
    path: () => `/api/queue/${ctx.paused}/status`,
    headers: () => user("pw1"),
  },
  {
    name: "entry, closed",
    method: "POST",
    path: () => `/api/events/${ctx.closed}/entry`,
    headers: () => user("someone-closed"),
  },
  {
    name: "entry, sold out",
    method: "POST",
    path: () => `/api/events/${ctx.soldOut}/entry`,
    headers: () => user("someone-6"),
  },
  {
    name: "entry, ended",
    method: "POST",
    path: () => `/api/events/${ctx.ended}/entry`,
    headers: () => user("someone-7"),
  },
  {
    name: "entry, unknown event",
    method: "POST",
    path: () => "/api/events/999999999/entry",
    headers: () => user("someone-8"),
  },
  {
    name: "entry, bad user",
    method: "POST",
    path: () => `/api/events/${ctx.open}/entry`,
    headers: () => user("x".repeat(65)),
  },
  { name: "leave", method: "DELETE", path: () => `/api/queue/${ctx.queued}`, headers: () => user("leaver") },
  {
    name: "issue, no token",
    method: "POST",
    path: () => `/api/events/${ctx.open}/issue`,
    headers: () => user("holder"),
  },
  {
    name: "issue, someone else's token",
    method: "POST",
    path: () => `/api/events/${ctx.open}/issue`,
    headers: () => user("thief", { authorization: `Bearer ${ctx.holderToken}` }),
  },
  {
    name: "issue, already issued",
    method: "POST",
    path: () => `/api/events/${ctx.open}/issue`,
    headers: () => user("owner", { authorization: `Bearer ${ctx.holderToken}` }),
  },
  {
    name: "a hostile request id is replaced, a good one echoed",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status`,
    headers: () => user("w4", { "x-request-id": "evil id with spaces!" }),
  },
  {
    name: "a good request id is echoed",
    method: "GET",
    path: () => `/api/queue/${ctx.queued}/status`,
    headers: () => user("w5", { "x-request-id": "trace-42_ok=" }),
  },
];

const COMPARED = ["content-type", "retry-after", "cache-control", "x-request-id"];

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string | undefined>;
}

/** Request ids made by the server differ on each request: compare their presence. */
function normalise(seen: Seen, shape: Shape, sent: Record<string, string>): Seen {
  const id = seen.headers["x-request-id"];
  const echoed = sent["x-request-id"];
  const headers = { ...seen.headers, "x-request-id": id === echoed ? id : id ? "<generated>" : undefined };
  let body = id ? seen.body.replaceAll(id, "<generated>") : seen.body;
  if (shape.fresh)
    body = body
      .replace(/"token":"[^"]+"/, '"token":"<fresh>"')
      .replace(/"expiresAt":"[^"]+"/, '"expiresAt":"<fresh>"');
  return { ...seen, headers, body };
}

async function viaRaw(shape: Shape, headers: Record<string, string>): Promise<Seen> {
  const res = await fetch(`${p.router.url}${shape.path()}`, { method: shape.method, headers });
  return {
    status: res.status,
    body: await res.text(),
    headers: Object.fromEntries(COMPARED.map((h) => [h, res.headers.get(h) ?? undefined])),
  };
}

async function viaApp(shape: Shape, headers: Record<string, string>): Promise<Seen> {
  const res = await p.router.app.request(shape.path(), { method: shape.method, headers });
  return {
    status: res.status,
    body: await res.text(),
    headers: Object.fromEntries(COMPARED.map((h) => [h, res.headers.get(h) ?? undefined])),
  };
}

describe("the raw core and the app answer alike", () => {
  it.each(shapes)("$name", async (shape) => {
    const headers = shape.headers?.() ?? {};
    for (let i = 0; i < (shape.before ?? 0); i++) await viaRaw(shape, headers);
    const raw = normalise(await viaRaw(shape, headers), shape, headers);
    for (let i = 0; i < (shape.before ?? 0); i++) await viaApp(shape, headers);
    const app = normalise(await viaApp(shape, headers), shape, headers);
    expect(raw).toEqual(app);
    // A real answer, not two identical failures of the harness.
    expect(raw.status).toBeGreaterThanOrEqual(200);
    expect(raw.status).toBeLessThan(500);
  });

  it("the raw core's answers carry their length (one write each, not chunked)", async () => {
    for (const shape of [shapes[0], shapes.find((s) => s.method === "POST")] as Shape[]) {
      const res = await fetch(`${p.router.url}${shape.path()}`, {
        method: shape.method,
        headers: shape.headers?.() ?? {},
      });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get("transfer-encoding")).toBeNull();
      expect(res.headers.get("content-length")).toBe(String(body.length));
    }
  });

  it("the raw core takes the plain requests of a rush (it answers them with the same metrics label)", async () => {
    const before = await fetch(`${p.router.metricsUrl}/metrics`);
    const count = (text: string) =>
      Number(
        /rushgate_http_request_duration_seconds_count\{[^}]*route="\/api\/queue\/:eventId\/status"[^}]*status="200"[^}]*\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    const start = count(await before.text());
    await viaRaw(shapes[0] as Shape, user("w6"));
    const after = count(await (await fetch(`${p.router.metricsUrl}/metrics`)).text());
    expect(after).toBe(start + 1);
  });
});
