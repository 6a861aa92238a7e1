import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../platform";
import {
  type Chromium,
  closeBrowserPlatform,
  INSTALL_TIMEOUT_MS,
  newPerson,
  startBrowserPlatform,
  text,
} from "./chromium";
import { shortWindow } from "./http";

/** The waiting room's page over the event stream, and its fallback to polling. */
let p: Platform;
let chromium: Chromium | undefined;
let missing: string | null = null;
const people: BrowserContext[] = [];

beforeAll(async () => {
  const started = await startBrowserPlatform({ env: { STREAM_TICK_MS: "100" } });
  if (typeof started === "string") missing = started;
  else ({ p, chromium } = started);
}, INSTALL_TIMEOUT_MS);

afterAll(() => closeBrowserPlatform(p, chromium, people));

/** A person whose requests to the queue's API are counted by path ending. */
async function person(): Promise<{ page: Page; asked: (ending: string) => number }> {
  if (!chromium) throw new Error("no browser");
  const context = await newPerson(chromium, p.router.url);
  people.push(context);
  const page = await context.newPage();
  const urls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/queue/")) urls.push(new URL(r.url()).pathname);
  });
  return { page, asked: (ending) => urls.filter((u) => u.endsWith(ending)).length };
}

/** An event whose only running slot is held, so a newcomer waits until the test lets them in. */
async function heldEvent() {
  const eventId = await p.client.createEvent({
    ...shortWindow(),
    stock: 5,
    rpmThreshold: 0,
    runningCapacity: 1,
  });
  await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
  return eventId;
}
const release = (eventId: number) => p.redis.zrem(p.keys.event(eventId).running, "holder");

describe("the waiting room over the event stream", () => {
  it("moves on by itself when the admission is pushed, without polling", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await heldEvent();
    await p.client.enter(eventId, "ahead");
    const { page, asked } = await person();
    await page.goto(`/queue/${eventId}`);
    expect(await text(page, "#position")).toBe("2");
    await expect.poll(() => asked("/events"), { timeout: 10_000 }).toBe(1);
    // A change ahead is pushed: the position falls with no status poll.
    await p.client.leave(eventId, "ahead");
    await expect.poll(() => text(page, "#position"), { timeout: 10_000 }).toBe("1");
    await release(eventId);
    await page.waitForURL(`**/events/${eventId}`, { timeout: 15_000 });
    expect(asked("/status")).toBe(0);
  });

  it("falls back to polling when the stream is blocked, and still moves on", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await heldEvent();
    const { page, asked } = await person();
    await page.route("**/api/queue/*/events", (route) => route.abort("blockedbyclient"));
    await page.goto(`/queue/${eventId}`);
    await expect.poll(() => asked("/status"), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await text(page, "#conn")).not.toContain("Connection problem");
    await release(eventId);
    await page.waitForURL(`**/events/${eventId}`, { timeout: 15_000 });
    expect(asked("/events")).toBeGreaterThanOrEqual(1);
  });

  it("falls back to polling when the stream is refused, and still moves on", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await heldEvent();
    const { page, asked } = await person();
    // A proxy that does not pass streams on answers something else.
    await page.route("**/api/queue/*/events", (route) =>
      route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }),
    );
    await page.goto(`/queue/${eventId}`);
    await expect.poll(() => asked("/status"), { timeout: 10_000 }).toBeGreaterThan(0);
    await release(eventId);
    await page.waitForURL(`**/events/${eventId}`, { timeout: 15_000 });
  });
});
