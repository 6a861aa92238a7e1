import { join } from "node:path";
import type { ChangeView } from "@rushgate/api";
import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
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

/** The dashboard's settings and scheduled-changes panel in a real browser. */
let p: Platform;
let chromium: Chromium | undefined;
let missing: string | null = null;

beforeAll(async () => {
  const started = await startBrowserPlatform();
  if (typeof started === "string") missing = started;
  else ({ p, chromium } = started);
}, INSTALL_TIMEOUT_MS);
afterAll(() => closeBrowserPlatform(p, chromium));

describe("the dashboard's scheduled changes", () => {
  it("previews a ramp as two charts before saving, saves it, lists it and cancels a step", async (ctx) => {
    if (missing || !chromium) return ctx.skip();
    const eventId = await p.client.createEvent({
      stock: 500,
      rpmThreshold: 0,
      admitPerTick: 1,
      runningCapacity: 1,
    });
    await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
    for (let i = 0; i < 30; i++) await p.client.enter(eventId, `crowd-${i}`);

    const context = await newPerson(chromium, p.router.url);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto("/admin");
    await signIn(page, TEST_ADMIN_TOKEN, "Test Operator");
    await page.getByText("Settings and scheduled changes").click();
    await page.locator("#ch-event").fill(String(eventId));
    await page.getByRole("button", { name: "Load" }).click();
    await expect.poll(() => text(page, "#ch-list")).toContain("Nothing scheduled.");
    expect(await page.locator("#ch-apt").inputValue()).toBe("1");
    await page.locator("#ch-apt").fill("2");
    await page.getByRole("button", { name: "Apply now" }).click();
    await expect.poll(() => text(page, "#ch-live-msg")).toContain("Applied");
    expect(await p.redis.hget(p.keys.event(eventId).meta, "admitPerTick")).toBe("2");

    await page.locator("#ch-setting").selectOption("runningCapacity");
    await page.locator("#ch-from").fill("5");
    await page.locator("#ch-to").fill("30");
    await page.locator("#ch-start").fill("0.1");
    await page.locator("#ch-over").fill("1");
    await page.locator("#ch-steps").fill("6");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => text(page, "#ch-sum-proposed")).toContain("Last person now waiting served");
    expect(await page.locator("#ch-chart-current polyline").count()).toBe(2);
    expect(await page.locator("#ch-chart-proposed polyline").count()).toBe(2);
    expect(await text(page, "#ch-ramp-msg")).toContain("Not saved yet");
    const list = async () =>
      (
        await p.client.call<{ changes: ChangeView[] }>("GET", `/admin/api/events/${eventId}/changes`, {
          token: TEST_ADMIN_TOKEN,
        })
      ).body.changes;
    expect(await list()).toEqual([]);
    if (process.env.SCREENSHOTS === "1")
      await page
        .locator("#changes")
        .screenshot({ path: join(import.meta.dirname, "../../../docs/screenshots/admin-changes.png") });

    await page.getByRole("button", { name: "Schedule" }).click();
    await expect.poll(() => text(page, "#ch-ramp-msg")).toContain("Scheduled 6 change(s)");
    expect(await list()).toHaveLength(6);
    await page.locator("#ch-list button").last().click();
    await expect.poll(async () => (await list()).filter((c) => c.state === "cancelled").length).toBe(1);
    await context.close();
  });
});
