import { join } from "node:path";
import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../platform";
import {
  type Chromium,
  closeBrowserPlatform,
  INSTALL_TIMEOUT_MS,
  newPerson,
  signIn,
  startBrowserPlatform,
  text,
} from "./chromium";
import { shortWindow } from "./http";

/** The kill switches in a real browser: the waiting room says so live, the dashboard sets them. */
let p: Platform;
let chromium: Chromium | undefined;
let missing: string | null = null;
const people: BrowserContext[] = [];
const admin = { token: TEST_ADMIN_TOKEN };
/** SCREENSHOTS=1 also writes the README's pictures of the switches. */
const shots = process.env.SCREENSHOTS === "1";
const shot = (name: string) => ({ path: join(import.meta.dirname, `../../../docs/screenshots/${name}.png`) });

beforeAll(async () => {
  const started = await startBrowserPlatform();
  if (typeof started === "string") missing = started;
  else ({ p, chromium } = started);
}, INSTALL_TIMEOUT_MS);

afterAll(() => closeBrowserPlatform(p, chromium, people));

async function person(): Promise<Page> {
  if (!chromium) throw new Error("no browser");
  const context = await newPerson(chromium, p.router.url);
  people.push(context);
  return context.newPage();
}

const switchesOf = async (eventId: number) =>
  (await p.client.call("GET", `/admin/api/events/${eventId}/switches`, admin)).body;

describe("kill switches in a real browser", () => {
  it("the waiting room says admissions are paused while they are, and moves on after", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({ ...shortWindow(), rpmThreshold: 0, runningCapacity: 1 });
    await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
    const page = await person();
    await page.goto(`/queue/${eventId}`);
    expect(await page.locator("#paused").isHidden()).toBe(true);

    await p.client.call("PUT", `/admin/api/events/${eventId}/switches`, { ...admin, body: { paused: true } });
    await expect.poll(() => page.locator("#paused").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await text(page, "#paused")).toContain("Admissions are paused");
    expect(await text(page, "#eta")).toBe("paused for now");
    if (shots) await page.screenshot({ ...shot("queue-paused-desktop"), animations: "disabled" });

    await p.client.call("PUT", `/admin/api/events/${eventId}/switches`, {
      ...admin,
      body: { paused: false },
    });
    await expect.poll(() => page.locator("#paused").isHidden(), { timeout: 10_000 }).toBe(true);
    await p.redis.zrem(p.keys.event(eventId).running, "holder");
    await page.waitForURL(`**/events/${eventId}`, { timeout: 15_000 });
  });

  it("the dashboard sets an event's switches, the global ones, and ends an event", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({ ...shortWindow() });
    const page = await person();
    await page.goto("/admin");
    await signIn(page, TEST_ADMIN_TOKEN, "Test Operator");
    await page.getByRole("heading", { name: "Kill switches" }).waitFor();

    await page.locator("#esw-event").fill(String(eventId));
    await page.getByRole("button", { name: "Show its switches" }).click();
    await page.locator("#esw-panel").waitFor();
    await page.locator("#esw-paused").check();
    await expect.poll(() => text(page, "#esw-msg"), { timeout: 10_000 }).toContain("Saved for event");
    expect(await switchesOf(eventId)).toMatchObject({ switches: { paused: true, entryClosed: false } });

    await page.locator("#gsw-entryClosed").check();
    await expect.poll(() => text(page, "#gsw-msg"), { timeout: 10_000 }).toContain("Saved for every event");
    expect(await switchesOf(eventId)).toMatchObject({ global: { entryClosed: true } });
    if (shots)
      await page.locator("#switches").screenshot({ ...shot("admin-switches"), animations: "disabled" });
    await page.locator("#gsw-entryClosed").uncheck();
    await expect.poll(() => text(page, "#gsw-msg"), { timeout: 10_000 }).toContain("now none");

    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "End this event now" }).click();
    await expect.poll(() => text(page, "#esw-msg"), { timeout: 10_000 }).toContain("ended at");
    const ended = await p.client.call("POST", `/admin/api/events/${eventId}/end`, admin);
    expect(ended.status).toBe(409);
  });
});
