import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../platform";
import { waitFor } from "../wait";
import {
  type Chromium,
  closeBrowserPlatform,
  DESKTOP,
  INSTALL_TIMEOUT_MS,
  KOREAN,
  newPerson,
  startBrowserPlatform,
  text,
} from "./chromium";
import { shortWindow } from "./http";

let p: Platform;
let chromium: Chromium | undefined;
let missing: string | null = null;
const people: BrowserContext[] = [];

beforeAll(async () => {
  const started = await startBrowserPlatform();
  if (typeof started === "string") missing = started;
  else ({ p, chromium } = started);
}, INSTALL_TIMEOUT_MS);

afterAll(() => closeBrowserPlatform(p, chromium, people));

async function person(where?: typeof KOREAN): Promise<Page> {
  if (!chromium) throw new Error("no browser");
  const context = await newPerson(chromium, p.router.url, DESKTOP, where);
  people.push(context);
  return context.newPage();
}

/** Someone holding the only running slot, so everyone else waits until the test lets them in. */
async function hold(eventId: number, user = "holder") {
  await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, user);
}
const release = (eventId: number, user = "holder") => p.redis.zrem(p.keys.event(eventId).running, user);

describe("in a real browser", () => {
  it("waits in line, watches the position fall, gets a coupon, and sees it already issued on reload", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({
      ...shortWindow(),
      stock: 5,
      rpmThreshold: 0,
      runningCapacity: 1,
    });
    await hold(eventId);
    for (const u of ["ahead-0", "ahead-1"]) expect((await p.client.enter(eventId, u)).status).toBe(202);

    const page = await person();
    await page.goto(`/events/${eventId}`);
    await page.waitForURL(`**/queue/${eventId}`);
    expect(await text(page, "#position")).toBe("3");
    expect(await text(page, "#ahead")).toBe("2");
    expect(await text(page, "[aria-live=polite]")).toContain("number 3 in line");
    const progressAt3 = Number(await page.locator("#progress").getAttribute("value"));

    // Let the people ahead through one by one: each takes the slot, then leaves it.
    await release(eventId);
    await expect.poll(() => text(page, "#position"), { timeout: 10_000 }).toBe("2");
    await p.client.leave(eventId, "ahead-0");
    await expect.poll(() => text(page, "#position"), { timeout: 10_000 }).toBe("1");
    expect(await text(page, "#position-label")).toBe("You're next");
    const progressAt1 = Number(await page.locator("#progress").getAttribute("value"));
    expect(progressAt1).toBeGreaterThan(progressAt3);

    // Our turn: the page moves on by itself.
    await p.client.leave(eventId, "ahead-1");
    await page.waitForURL(`**/events/${eventId}`, { timeout: 15_000 });
    await page.getByRole("button", { name: "Get coupon" }).click();
    await expect.poll(() => text(page, "#result"), { timeout: 10_000 }).toMatch(/Issued! Your coupon is RG-/);
    await page.locator("#coupon-list li").first().waitFor();
    expect(await text(page, "#coupon-list")).toMatch(/RG-[\w-]+/);

    await page.reload();
    expect(await text(page, "#result")).toContain("Already issued.");
    expect(await page.getByRole("button", { name: "Get coupon" }).count()).toBe(0);
    const uid = (await page.context().cookies()).find((c) => c.name === "uid");
    expect(uid).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });

  it("waits in Korean for a Korean browser, moves on by itself when admitted, and gets the coupon in Korean", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({
      ...shortWindow(),
      stock: 5,
      rpmThreshold: 0,
      runningCapacity: 1,
    });
    await hold(eventId);
    expect((await p.client.enter(eventId, "ahead-ko")).status).toBe(202);

    const page = await person(KOREAN);
    await page.goto(`/events/${eventId}`);
    await page.waitForURL(`**/queue/${eventId}`);
    expect(await page.locator("html").getAttribute("lang")).toBe("ko");
    expect(await text(page, "#position-label")).toBe("대기 순번 2번");
    expect(await text(page, "#ahead")).toBe("1명");
    // Text the script writes itself: its status line, and the position once it falls.
    await expect.poll(() => text(page, "#conn"), { timeout: 10_000 }).toContain("방금 업데이트됨");
    await release(eventId);
    await expect.poll(() => text(page, "#position-label"), { timeout: 10_000 }).toBe("다음 차례예요");
    expect(await text(page, "#ahead")).toBe("0명");
    expect(await text(page, "#eta")).toMatch(/^(계산 중…|1분 이내|약 [\d.,]+(분|시간))$/);

    await p.client.leave(eventId, "ahead-ko");
    await page.waitForURL(`**/events/${eventId}`, { timeout: 15_000 });
    // Times are shown by the script in the reader's zone and language (Seoul, 24-hour clock).
    expect(await text(page, "time >> nth=0")).toMatch(/^\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2}$/);
    await page.getByRole("button", { name: "쿠폰 받기" }).click();
    await expect.poll(() => text(page, "#result"), { timeout: 10_000 }).toMatch(/발급 완료! 쿠폰 번호는 RG-/);
    await page.locator("#coupon-list li").first().waitFor();
    expect(await text(page, "#coupon-list")).toMatch(/이 이벤트 · \d{4}년 .* · 발급 (완료|확인 중)/);
  });

  it("switches language with the page's link, without JavaScript, and keeps it", async (ctx) => {
    if (missing) ctx.skip();
    if (!chromium) throw new Error("no browser");
    const context = await chromium.browser.newContext({ ...KOREAN, javaScriptEnabled: false });
    people.push(context);
    const page = await context.newPage();
    await page.goto(`${p.router.url}/`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("선착순 쿠폰 이벤트");
    await page.getByRole("link", { name: "English" }).click();
    await page.getByRole("heading", { name: "Coupon drops" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.goto(`${p.router.url}/`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect((await context.cookies()).find((c) => c.name === "lang")).toMatchObject({
      value: "en",
      sameSite: "Lax",
    });
    await page.getByRole("link", { name: "한국어" }).click();
    await page.getByRole("heading", { name: "선착순 쿠폰 이벤트" }).waitFor();
  });

  it("tells someone still waiting that it is sold out, at once", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({
      ...shortWindow(),
      stock: 1,
      rpmThreshold: 0,
      runningCapacity: 1,
    });
    await hold(eventId);
    expect((await p.client.enter(eventId, "lucky")).status).toBe(202);

    const page = await person();
    await page.goto(`/events/${eventId}`);
    await page.waitForURL(`**/queue/${eventId}`);
    expect(await text(page, "#position")).toBe("2");

    await release(eventId);
    const admitted = await waitFor(
      () => p.client.status(eventId, "lucky"),
      (r) => r.body.status === "admitted",
    );
    expect((await p.client.issue(eventId, "lucky", String(admitted.body.token))).status).toBe(201);
    await expect.poll(() => text(page, "#outcome"), { timeout: 5_000 }).toContain("Sold out");
    expect(await page.locator("#queue-card").isHidden()).toBe(true);
  });

  it("says a pre-queue's rule, shows no position before the shuffle, and the drawn one after it", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({
      ...shortWindow(),
      startsAt: new Date(Date.now() + 4_000).toISOString(),
      prequeue: "shuffle",
      runningCapacity: 1,
    });
    await hold(eventId);
    for (const u of ["early-0", "early-1"]) expect((await p.client.enter(eventId, u)).status).toBe(202);

    const page = await person();
    await page.goto(`/queue/${eventId}`);
    expect(await text(page, ".lead")).toMatch(
      /Everyone here before .+ gets a random place at .+; after that, first come first served\./,
    );
    expect(await text(page, "#position")).toBe("—");
    expect(await text(page, "#position-label")).toContain("drawn at random");

    // The start: the scheduler shuffles the three, and the page shows where the draw put us.
    await expect.poll(() => text(page, "#position"), { timeout: 15_000 }).toMatch(/^[1-3]$/);
    expect(await text(page, "[aria-live=polite]")).toMatch(/You're (next|number [23] in line)/);
  });

  it("keeps polling through network errors and rate limits, backing off, and says so", async (ctx) => {
    if (missing) ctx.skip();
    const eventId = await p.client.createEvent({
      ...shortWindow(),
      stock: 5,
      rpmThreshold: 0,
      runningCapacity: 1,
    });
    await hold(eventId);
    const page = await person();
    // Cut off before the page opens its event stream too, so that it has to poll (and fail).
    await page.route("**/api/queue/**", (route) => route.abort("internetdisconnected"));
    await page.goto(`/queue/${eventId}`);
    await expect
      .poll(() => text(page, "#conn"), { timeout: 10_000 })
      .toMatch(/Connection problem.*Retrying in/);
    await page.unroute("**/api/queue/**");
    // Rate limited: the page waits as long as the server asks and says why.
    await page.route("**/api/queue/**", (route) =>
      route.fulfill({
        status: 429,
        headers: { "retry-after": "1", "content-type": "application/json" },
        body: JSON.stringify({ error: { code: "too_many_requests", message: "slow down" } }),
      }),
    );
    await expect.poll(() => text(page, "#conn"), { timeout: 15_000 }).toContain("very busy");
    await page.unroute("**/api/queue/**");
    await release(eventId);
    await page.waitForURL(`**/events/${eventId}`, { timeout: 20_000 });
  });

  it("lets the admin sign in, change the threshold and watch the stats move", async (ctx) => {
    if (missing) ctx.skip();
    const page = await person();
    await page.goto("/admin");
    await page.getByLabel("Your name").fill("Dana Operator");
    await page.getByLabel("Admin token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await text(page, "body")).toContain("That token is not right.");
    await page.getByLabel("Admin token").fill(TEST_ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    expect(page.url()).not.toContain(TEST_ADMIN_TOKEN);
    const session = (await page.context().cookies()).find((c) => c.name === "rg_admin");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });

    await page.getByLabel("Threshold, entries per minute", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Save threshold" }).click();
    await expect.poll(() => text(page, "#threshold-msg"), { timeout: 10_000 }).toContain("Saved");
    expect(
      (await p.client.call("GET", "/admin/api/traffic", { token: TEST_ADMIN_TOKEN })).body,
    ).toMatchObject({
      rpmThreshold: 3,
    });

    await page.getByText("New event").click();
    await page.getByLabel("Name").fill("Dashboard drop");
    await page.getByLabel("Coupons (stock)").fill("20");
    // The browser runs in UTC (newPerson), so its local time is the ISO time.
    await page.locator("#ev-starts").fill(new Date(Date.now() - 60_000).toISOString().slice(0, 16));
    await page.locator("#ev-ends").fill(new Date(Date.now() + 180_000).toISOString().slice(0, 16));
    await page.getByRole("button", { name: "Create event" }).click();
    await expect.poll(() => text(page, "#event-msg"), { timeout: 10_000 }).toMatch(/Created event #\d+/);
    const eventId = Number(/#(\d+)/.exec(await text(page, "#event-msg"))?.[1]);
    const card = page.locator(`#ev-${eventId}`);
    await card.waitFor();

    // Traffic: over the threshold of 3, so most of these wait, and the stats move.
    await Promise.all(Array.from({ length: 8 }, (_, i) => p.client.enter(eventId, `crowd-${i}`)));
    expect(await p.client.rush(eventId, "buyer")).toBe("issued");
    await expect
      .poll(async () => Number(await card.locator("b.rpm").textContent()), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(9);
    await expect
      .poll(async () => Number(await card.locator('[data-field="issued"]').textContent()), {
        timeout: 10_000,
      })
      .toBe(1);
    expect(await card.locator(".vs").textContent()).toContain("threshold 3");
    expect(Number(await card.locator('[data-field="remaining"]').textContent())).toBe(19);
    const points = await card.locator("polyline.rpm").getAttribute("points");
    expect(points?.split(" ").length).toBeGreaterThan(1);
  });
});
