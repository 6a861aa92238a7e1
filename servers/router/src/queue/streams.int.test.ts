import { createServer, get, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@rushgate/logger";
import { enter, status } from "@rushgate/redis";
import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueAnswer } from "./answer";
import { createQueueDeps } from "./index";
import { createStreamHub, type StreamHub } from "./streams";

let fx: RedisFixture;
let hub: StreamHub;
let server: Server;
let url: string;
const open: IncomingMessage[] = [];

beforeEach(async () => {
  fx = await useRedis();
  hub = createStreamHub({
    queue: createQueueDeps({ redis: fx.redis, keys: fx.keys, secret: "test-secret-of-some-length" }),
    log: createLogger({ service: "test", level: "silent" }),
    tickMs: 100,
    heartbeatMs: 1000,
  });
  // The hub behind a bare node:http server: /<eventId>/<userId> opens that user's stream.
  server = createServer(async (req, res) => {
    const [, eventId, userId] = (req.url ?? "").split("/");
    const id = Number(eventId);
    const reply = await status(fx.redis, fx.keys.event(id), String(userId));
    const body = queueAnswer(reply, {
      secret: "test-secret-of-some-length",
      eventId: id,
      userId: String(userId),
    });
    hub.open({ eventId: id, userId: String(userId), res, first: { reply, body }, requestId: "r1" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const res of open.splice(0)) res.destroy();
  hub.close();
  await new Promise((r) => server.close(r));
  await fx.cleanup();
});

/** Opens a stream and collects its text. */
function listen(path: string) {
  return new Promise<{ text: () => string; ended: Promise<void> }>((resolve) => {
    get(`${url}${path}`, { agent: false }, (res) => {
      open.push(res);
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      const ended = new Promise<void>((done) => res.on("close", () => done()));
      resolve({ text: () => text, ended });
    });
  });
}

async function until(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the stream hub", () => {
  it("sends a heartbeat comment when nothing changed for heartbeatMs", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    await enter(fx.redis, fx.keys.event(id), "quiet");
    const s = await listen(`/${id}/quiet`);
    await until(() => s.text().includes("\n:\n\n"));
    expect(s.text().match(/^data:/gm)).toHaveLength(1);
  });

  it("counts its streams, forgets a closed one, and ends every stream on close", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    for (const u of ["a", "b"]) await enter(fx.redis, fx.keys.event(id), u);
    const a = await listen(`/${id}/a`);
    const b = await listen(`/${id}/b`);
    await until(() => hub.size() === 2);
    open[0]?.destroy();
    await until(() => hub.size() === 1);
    hub.close();
    await b.ended;
    await a.ended;
    expect(hub.size()).toBe(0);
  });

  it("reads hundreds of streams of one event in batches, and each hears its own change", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    const k = fx.keys.event(id);
    const users = Array.from({ length: 700 }, (_, i) => `u${i}`);
    for (const u of users) await enter(fx.redis, k, u);
    const streams = await Promise.all(users.map((u) => listen(`/${id}/${u}`)));
    await until(() => hub.size() === 700);
    await fx.redis.zrem(k.waiting, "u0"); // everyone behind moves up one
    await until(() => streams.every((s, i) => i === 0 || s.text().includes(`"position":${i}`)));
    expect(streams[699]?.text()).toContain('"position":699,"waiting":699');
    await streams[0]?.ended;
  }, 30_000);
});
