import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type Platform, type PlatformOptions, startPlatform } from "../platform";

export const CHROMIUM = "/usr/bin/chromium";

/** The hook that installs Chromium may wait this long (apt on a fresh machine). */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;

function run(command: string): { ok: boolean; output: string } {
  const res = spawnSync("sh", ["-c", command], {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: INSTALL_TIMEOUT_MS - 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ok: res.status === 0, output: `${res.stdout ?? ""}${res.stderr ?? ""}`.slice(-2_000) };
}

/**
 * Makes sure Debian's Chromium is installed, installing it with apt when we are root. Returns
 * null when it is there, else why it cannot be (the caller skips, loudly).
 */
export function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.getuid?.() !== 0) return `${CHROMIUM} is missing and we are not root to apt-get install it`;
  if (!existsSync("/usr/bin/apt-get")) return `${CHROMIUM} is missing and there is no apt-get`;
  console.log("browser tests: installing Chromium (apt-get install chromium), this takes a while once");
  const update = run("apt-get update -qq");
  if (!update.ok) return `apt-get update failed:\n${update.output}`;
  const install = run("apt-get install -y -qq chromium");
  if (!install.ok || !existsSync(CHROMIUM)) return `apt-get install chromium failed:\n${install.output}`;
  return null;
}

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Chromium. Playwright gives every launch a fresh `--user-data-dir` of its own (it
 * refuses one in `args`) and removes it on close.
 */
export async function launchChromium(): Promise<Chromium> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A reader in Seoul whose browser asks for Korean (Chromium sends `Accept-Language: ko-KR`). */
export const KOREAN = { locale: "ko-KR", timezoneId: "Asia/Seoul" };

/** A fresh browser "person": own cookies, a desktop or phone viewport, English in UTC unless told. */
export function newPerson(
  c: Chromium,
  baseURL: string,
  viewport = DESKTOP,
  where: { locale: string; timezoneId: string } = { locale: "en-GB", timezoneId: "UTC" },
): Promise<BrowserContext> {
  return c.browser.newContext({
    baseURL,
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport === PHONE,
    hasTouch: viewport === PHONE,
    ...where,
  });
}

/** The text of the first element matching `selector` ("" when it has none). */
export const text = async (page: Page, selector: string) =>
  (await page.locator(selector).textContent()) ?? "";

/** Signs in to the dashboard (already at `/admin`) with a name and a token, and waits for it. */
export async function signIn(page: Page, token: string, operator: string): Promise<void> {
  await page.getByLabel("Your name").fill(operator);
  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}

/**
 * A browser test file's platform and Chromium, started together (in its beforeAll). When
 * Chromium cannot be had, says why, loudly, and returns the reason instead: the file's tests skip.
 */
export async function startBrowserPlatform(
  options?: PlatformOptions,
): Promise<{ p: Platform; chromium: Chromium } | string> {
  const missing = ensureChromium();
  if (missing) {
    console.warn(`\n${"!".repeat(78)}\n!! BROWSER TESTS SKIPPED: ${missing}\n${"!".repeat(78)}\n`);
    return missing;
  }
  const [p, chromium] = await Promise.all([startPlatform(options), launchChromium()]);
  return { p, chromium };
}

/** Closes what startBrowserPlatform started, after the people (browser contexts) a file opened. */
export async function closeBrowserPlatform(
  p: Platform | undefined,
  chromium: Chromium | undefined,
  people: BrowserContext[] = [],
): Promise<void> {
  for (const person of people) await person.close();
  await chromium?.close();
  await p?.close();
}
