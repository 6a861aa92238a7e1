import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import { Agent, request } from "undici";

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

const agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 });

export type Outcome = "issued" | "already_issued" | "sold_out" | "other";

/** A small HTTP client for the router's API, as users and the admin use it. */
export function createClient(base: string) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: {
      user?: string;
      token?: string;
      body?: unknown;
      raw?: string | Buffer;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.user) headers["x-user-id"] = options.user;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.raw;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const res = await request(`${base}${path}`, {
      method: method as "GET",
      headers,
      body,
      dispatcher: agent,
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // keep the text: a test will say what it was
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers };
  }

  const admin = { token: TEST_ADMIN_TOKEN };

  return {
    call,
    async createEvent(overrides: Record<string, unknown> = {}): Promise<number> {
      const now = Date.now();
      const res = await call<{ id: number }>("POST", "/admin/api/events", {
        ...admin,
        body: {
          name: "Test drop",
          stock: 100,
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
          ...overrides,
        },
      });
      if (res.status !== 201) throw new Error(`createEvent: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    setThreshold: (rpmThreshold: number) =>
      call("PUT", "/admin/api/traffic", { ...admin, body: { rpmThreshold } }),
    stats: (eventId: number) => call("GET", `/admin/api/events/${eventId}/stats`, admin),
    enter: (eventId: number, user: string) => call("POST", `/api/events/${eventId}/entry`, { user }),
    status: (eventId: number, user: string) => call("GET", `/api/queue/${eventId}/status`, { user }),
    leave: (eventId: number, user: string) => call("DELETE", `/api/queue/${eventId}`, { user }),
    issue: (eventId: number, user: string, token?: string) =>
      call("POST", `/api/events/${eventId}/issue`, { user, token }),

    /** A user's whole visit: enter, poll while waiting, issue once admitted. */
    async rush(eventId: number, user: string, pollMs = 50): Promise<Outcome> {
      let res = await call("POST", `/api/events/${eventId}/entry`, { user });
      const deadline = Date.now() + 30_000;
      while (res.status === 202 || (res.status === 200 && res.body.status === "waiting")) {
        if (Date.now() > deadline) return "other";
        await new Promise((r) => setTimeout(r, pollMs));
        res = await call("GET", `/api/queue/${eventId}/status`, { user });
      }
      if (res.status === 410 || res.body.status === "sold_out") return "sold_out";
      if (res.status !== 200 || res.body.status !== "admitted") return "other";
      const issued = await call("POST", `/api/events/${eventId}/issue`, {
        user,
        token: String(res.body.token),
      });
      if (issued.status === 201) return "issued";
      if (
        issued.status === 409 &&
        (issued.body as { error: { code: string } }).error.code === "already_issued"
      ) {
        return "already_issued";
      }
      if (issued.status === 410) return "sold_out";
      return "other";
    },
  };
}

export type Client = ReturnType<typeof createClient>;
