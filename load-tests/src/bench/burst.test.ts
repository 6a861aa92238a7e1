import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyIdentityToken } from "@rushgate/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BurstRun, burstMedians, burstOnce, burstRatios } from "./burst";
import { floor, hop } from "./floor-servers";

const SECRET = "burst-test-identity-secret-0123456789";

/** A server on a free port that counts the connections it accepted. */
async function listen(handler: RequestListener) {
  const server: Server = createServer(handler);
  let connections = 0;
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, connections: () => connections };
}

describe("the burst driver", () => {
  let back: Awaited<ReturnType<typeof listen>>;
  let front: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    back = await listen(floor);
    front = await listen(hop(back.url));
  });
  afterAll(() => {
    front.server.closeAllConnections();
    back.server.closeAllConnections();
    front.server.close();
    back.server.close();
  });

  it("gives every user its own connection, for its entry and all its polls", async () => {
    const before = back.connections();
    const run = await burstOnce(
      { name: "floor", url: back.url, eventId: 7, processes: [{ name: "self", pid: process.pid }] },
      { users: 40, polls: 3, pollMs: 5, round: 1, userPrefix: "t", identitySecret: SECRET },
    );
    expect(run).toMatchObject({ requests: 160, errors: 0 });
    expect(run.latency.entry.count).toBe(40);
    expect(run.latency.status.count).toBe(120);
    expect(back.connections() - before).toBe(40);
    expect(run.cpu.byProcess.self).toBeGreaterThan(0);
  });

  it("goes through the two-hop forwarder to the floor's answers", async () => {
    const before = front.connections();
    const run = await burstOnce(
      { name: "hop", url: front.url, eventId: 7, processes: [] },
      { users: 20, polls: 2, pollMs: 5, round: 1, userPrefix: "h", identitySecret: SECRET },
    );
    expect(run).toMatchObject({ requests: 60, errors: 0 });
    expect(front.connections() - before).toBe(20);
  });

  it("sends each user's own signed identity token, which the hop passes on", async () => {
    const seen: string[] = [];
    const recorder = await listen((req, res) => {
      seen.push(String(req.headers["x-identity-token"]));
      floor(req, res);
    });
    const forwarder = await listen(hop(recorder.url));
    const run = await burstOnce(
      { name: "hop", url: forwarder.url, eventId: 7, processes: [] },
      { users: 4, polls: 2, pollMs: 1, round: 1, userPrefix: "s", identitySecret: SECRET },
    );
    forwarder.server.closeAllConnections();
    forwarder.server.close();
    recorder.server.close();
    expect(run.errors).toBe(0);
    const users = seen.map((token) => {
      const check = verifyIdentityToken(SECRET, token, Date.now());
      return check.ok ? check.userId : check.reason;
    });
    expect(users.sort()).toEqual(["s-0", "s-1", "s-2", "s-3"].flatMap((u) => [u, u, u]));
  });

  it("counts every answer but 202/200 on entry and 200 on status as an error", async () => {
    const forgetful = await listen((req, res) => {
      res.writeHead(req.method === "POST" ? 202 : 404, { "content-type": "application/json" });
      res.end(req.method === "POST" ? '{"status":"waiting"}' : '{"error":{"code":"not_in_queue"}}');
    });
    const run = await burstOnce(
      { name: "forgetful", url: forgetful.url, eventId: 7, processes: [] },
      { users: 3, polls: 2, pollMs: 1, round: 1, userPrefix: "e", identitySecret: SECRET },
    );
    forgetful.server.close();
    expect(run.errors).toBe(6);
    expect(run.samples[0]).toMatch(/^status: 404 .*not_in_queue/);
    const bad = await burstOnce(
      { name: "nothing", url: `${back.url.replace(/:\d+$/, ":1")}`, eventId: 7, processes: [] },
      { users: 2, polls: 1, pollMs: 1, round: 1, userPrefix: "x", identitySecret: SECRET },
    );
    // Nothing listens there: each entry fails, and a user who never entered does not poll.
    expect(bad).toMatchObject({ errors: 2, requests: 2 });
    expect(bad.samples[0]).toMatch(/^entry: 0 /);
  });
});

function run(target: string, server: number, p95: number, max: number, errors = 0): BurstRun {
  const latency = { count: 1, min: 1, mean: p95 / 2, p50: 1, p95, p99: p95, max };
  return {
    target,
    round: 1,
    users: 1,
    requests: 6,
    errors,
    seconds: 1,
    launchMs: 1,
    listenOverflows: 0,
    latency: { all: latency, entry: latency, status: latency },
    cpu: { byProcess: { a: server }, server, driver: 1 },
    samples: [],
  };
}

describe("burst medians and ratios", () => {
  it("takes the median of each figure over a target's rounds, and sums its errors", () => {
    const runs = [run("r", 30, 9, 100), run("f", 10, 3, 50), run("r", 60, 12, 300, 2), run("r", 45, 6, 200)];
    const m = burstMedians(runs, "r");
    expect(m).toMatchObject({
      rounds: 3,
      errors: 2,
      cpuPerRequest: 45,
      p95: 9,
      max: 200,
      byProcess: { a: 45 },
    });
    expect(burstRatios(m, burstMedians(runs, "f"))).toEqual({ cpuPerRequest: 4.5, mean: 3, p95: 3, max: 4 });
  });
});
