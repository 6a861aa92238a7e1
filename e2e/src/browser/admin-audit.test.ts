import { join } from "node:path";
import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../platform";
import {
  type Chromium,
  closeBrowserPlatform,
  INSTALL_TIMEOUT_MS,
  newPerson,
  signIn,
  startBrowserPlatform,
} from "./chromium";

let p: Platform;
let chromium: Chromium | undefined;
let missing: string | null = null;
const run = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  const started = await startBrowserPlatform();
  if (typeof started === "string") missing = started;
  else ({ p, chromium } = started);
}, INSTALL_TIMEOUT_MS);

afterAll(() => closeBrowserPlatform(p, chromium));

async function signedIn(token: string, operator: string): Promise<Page> {
  if (!chromium) throw new Error("no browser");
  const page = await (await newPerson(chromium, p.router.url)).newPage();
  await page.goto("/admin");
  await signIn(page, token, operator);
  return page;
}

describe("the dashboard's tokens and audit trail", () => {
  it("makes a token, shows it once, revokes it, and shows who did what", async (ctx) => {
    if (missing) ctx.skip();
    const page = await signedIn(TEST_ADMIN_TOKEN, `Dana ${run}`);
    expect(await page.locator("#audit-who").textContent()).toBe(`Dana ${run} (token bootstrap)`);
    await page.getByText("Admin tokens").click();
    const name = `oncall-${run}`;
    await page.getByLabel("Label of the new token").fill(name);
    await page.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => page.locator("#token-msg").textContent()).toContain("never shown again");
    const token =
      /rga_[A-Za-z0-9_-]+/.exec((await page.locator("#token-msg").textContent()) ?? "")?.[0] ?? "";
    expect((await p.client.call("GET", "/admin/api/traffic", { token })).status).toBe(200);

    // Someone else signs in with the new token; their change is theirs in the trail.
    const other = await signedIn(token, `Eli ${run}`);
    await other.getByLabel("Threshold, entries per minute", { exact: true }).fill("777");
    await other.getByRole("button", { name: "Save threshold" }).click();
    await expect.poll(() => other.locator("#threshold-msg").textContent()).toContain("Saved");

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect.poll(() => page.locator("#token-msg").textContent()).toContain(`Revoked ${name}`);
    expect((await p.client.call("GET", "/admin/api/traffic", { token })).status).toBe(401);
    await other.reload();
    await other.getByRole("button", { name: "Sign in" }).waitFor();

    await page.getByLabel("Who (token or operator)").fill(`Eli ${run}`);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => page.locator("#audit-rows").textContent()).toContain("PUT /admin/api/traffic");
    const rows = (await page.locator("#audit-rows tr").allTextContents()).join("\n");
    expect(rows).toContain(`Eli ${run} (token ${name})`);
    expect(rows).toContain('{"rpmThreshold":777}');
    await page.getByLabel("Who (token or operator)").fill("");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect
      .poll(() => page.locator("#audit-rows").textContent())
      .toContain("DELETE /admin/api/tokens/:name");
    if (process.env.SCREENSHOTS === "1") {
      await page.locator("#admin-audit").evaluate((el) => el.scrollIntoView());
      await page.screenshot({
        path: join(import.meta.dirname, "../../../docs/screenshots/admin-audit-desktop.png"),
        animations: "disabled",
      });
    }
  });
});
