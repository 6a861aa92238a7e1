import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { TEST_ADMIN_TOKEN, TEST_DATABASE_URL, useDatabase } from "@rushgate/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Platform, startPlatform } from "../platform";
import {
  type Chromium,
  DESKTOP,
  ensureChromium,
  INSTALL_TIMEOUT_MS,
  KOREAN,
  launchChromium,
  newPerson,
  PHONE,
  signIn,
} from "./chromium";

/**
 * Regenerates docs/screenshots/*.png (desktop 1280x800 and phone 390x844) from a live platform,
 * the waiting room in Korean too (which needs a CJK font: Debian's fonts-noto-cjk).
 * Off unless SCREENSHOTS=1; it empties its database first, so it insists on its own one
 * (`rushgate_screens`, or `rushgate_screens_<anything>` when several checkouts share a MariaDB):
 *
 *   SCREENSHOTS=1 TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/rushgate_screens \
 *     npx vitest run --project integration e2e/src/browser/screenshots.test.ts
 */
const enabled = process.env.SCREENSHOTS === "1";
const OUT = join(import.meta.dirname, "../../../docs/screenshots");
const sizes = { desktop: DESKTOP, phone: PHONE } as const;

let p: Platform;
let chromium: Chromium;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

beforeAll(async () => {
  if (!enabled) return;
  if (!/\/rushgate_screens(_\w+)?$/.test(TEST_DATABASE_URL))
    throw new Error("screenshots empty their database: set TEST_DATABASE_URL=…/rushgate_screens");
  const missing = ensureChromium();
  if (missing) throw new Error(missing);
  const database = useDatabase();
  await database.pool.query("DELETE FROM coupon_issuances");
  await database.pool.query("DELETE FROM coupon_events");
  await database.close();
  mkdirSync(OUT, { recursive: true });
  [p, chromium] = await Promise.all([startPlatform({ tickMs: 500 }), launchChromium()]);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await chromium?.close();
  await p?.close();
});

async function shoot(page: Page, name: string, size: keyof typeof sizes) {
  await page.screenshot({ path: join(OUT, `${name}-${size}.png`), animations: "disabled" });
}

async function open(size: keyof typeof sizes, path: string, where?: typeof KOREAN): Promise<Page> {
  const context = await newPerson(chromium, p.router.url, sizes[size], where);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

describe.runIf(enabled)("screenshots", () => {
  it("of the four pages, on a desktop and a phone, and of the waiting room in Korean", {
    timeout: 300_000,
  }, async () => {
    const { client } = p;
    await client.setThreshold(40);
    const sneakers = await client.createEvent({
      name: "Spring sneaker drop — 40% off",
      stock: 5000,
      rpmThreshold: 0,
      runningCapacity: 5000,
      admitPerTick: 10,
      idleTimeoutSeconds: 3600,
      startsAt: iso(-5 * 60_000),
      endsAt: iso(2 * 3600_000),
    });
    // The same drop as a Korean shop would name it, for the Korean waiting room.
    const korean = await client.createEvent({
      name: "봄맞이 운동화 40% 할인",
      stock: 5000,
      rpmThreshold: 0,
      runningCapacity: 5000,
      admitPerTick: 10,
      idleTimeoutSeconds: 3600,
      startsAt: iso(-5 * 60_000),
      endsAt: iso(2 * 3600_000),
    });
    const coffee = await client.createEvent({
      name: "Coffee club: free flat white",
      stock: 120,
      startsAt: iso(-20 * 60_000),
      endsAt: iso(3600_000),
    });
    await client.createEvent({
      name: "Midnight vinyl release",
      stock: 300,
      startsAt: iso(3 * 3600_000),
      endsAt: iso(5 * 3600_000),
    });
    await client.createEvent({
      name: "Book week bundle",
      stock: 50,
      startsAt: iso(26 * 3600_000),
      endsAt: iso(30 * 3600_000),
    });
    for (let i = 0; i < 83; i++) await client.rush(coffee, `coffee-${i}`);

    // A long line for the sneakers, which the scheduler works through at about 20 a second.
    for (let i = 0; i < 2000; i += 100)
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          Promise.all([client.enter(sneakers, `crowd-${i + j}`), client.enter(korean, `crowd-${i + j}`)]),
        ),
      );
    await sleep(1_500); // the scheduler measures its admission rate

    for (const size of ["desktop", "phone"] as const) {
      const home = await open(size, "/");
      // Another test run on this machine may have MariaDB stopped for a while: wait for the list.
      for (let i = 0; i < 30 && (await home.locator("ul.cards").count()) === 0; i++) {
        await sleep(2_000);
        await home.reload();
      }
      await shoot(home, "home", size);

      const queue = await open(size, `/events/${sneakers}`);
      await queue.waitForURL(`**/queue/${sneakers}`);
      await sleep(15_000); // the position falls, the bar moves, the ETA is known
      await shoot(queue, "queue", size);

      const koreanQueue = await open(size, `/events/${korean}`, KOREAN);
      await koreanQueue.waitForURL(`**/queue/${korean}`);
      await sleep(15_000);
      await shoot(koreanQueue, "queue-ko", size);

      const event = await open(size, `/events/${coffee}`);
      await event.getByRole("button", { name: "Get coupon" }).click();
      await event.locator("#coupon-list li").first().waitFor();
      await shoot(event, "event", size);
    }

    // The dashboard, with traffic coming in for a while so the chart has something to show.
    const admins = await Promise.all(
      (["desktop", "phone"] as const).map(async (size) => {
        const page = await open(size, "/admin");
        await signIn(page, TEST_ADMIN_TOKEN, "Dana Operator");
        return { size, page };
      }),
    );
    for (let s = 0; s < 30; s++) {
      const burst = 4 + Math.round(6 * Math.sin(s / 4) ** 2);
      await Promise.all(Array.from({ length: burst }, (_, j) => client.enter(sneakers, `late-${s}-${j}`)));
      await Promise.all(Array.from({ length: 1 }, (_, j) => client.rush(coffee, `buyer-${s}-${j}`)));
      await sleep(700);
    }
    for (const { size, page } of admins) {
      await page.locator(`#ev-${sneakers}`).scrollIntoViewIfNeeded();
      await page.evaluate("window.scrollTo(0, 0)");
      await shoot(page, "admin", size);
    }
  });
});
