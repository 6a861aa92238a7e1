import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "../platform";
import { cookieValue, shortWindow, visit } from "./http";

let p: Platform;
let url: string;

beforeAll(async () => {
  p = await startPlatform();
  url = p.router.url;
});
afterAll(async () => {
  await p.close();
});

/** An event where everyone waits: threshold 0 and a full running set. */
async function queuedEvent(overrides: Record<string, unknown> = {}) {
  const eventId = await p.client.createEvent({
    ...shortWindow(),
    rpmThreshold: 0,
    runningCapacity: 1,
    ...overrides,
  });
  await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
  return eventId;
}

describe("pages: identity and security", () => {
  it("sets a signed, HttpOnly, SameSite=Lax uid cookie on the first visit to every page, and only then", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    for (const path of ["/", `/events/${eventId}`, `/queue/${eventId}`]) {
      const first = await visit(`${url}${path}`);
      const line = first.cookies.uid;
      expect(line, path).toMatch(
        /^uid=uid1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const again = await visit(`${url}${path}`, { cookie: `uid=${cookieValue(line)}` });
      expect(again.cookies.uid, path).toBeUndefined();
    }
  });

  it("uses the uid it just made: the first visit's admission belongs to that new id", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    const first = await visit(`${url}/events/${eventId}`);
    expect(first.status).toBe(200);
    const uid = cookieValue(first.cookies.uid).split(".")[1];
    const token = cookieValue(first.cookies[`rg_adm_${eventId}`]);
    expect(token).toContain(`.${eventId}.${uid}.`);
    expect(first.cookies[`rg_adm_${eventId}`]).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it("sends pages with a strict CSP, no inline script, and security headers", async () => {
    const eventId = await queuedEvent();
    for (const path of ["/", `/queue/${eventId}`, "/admin"]) {
      const res = await visit(`${url}${path}`, { cookie: "uid=csp-user" });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("same-origin");
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.text.startsWith("<!doctype html>")).toBe(true);
      // Only scripts from /assets run; the page's messages are JSON data, which never runs.
      expect(res.text).not.toMatch(/<script(?![^>]*\s(?:src=|type="application\/json"))[^>]*>/);
      expect(res.text).not.toMatch(/\sstyle="/);
    }
  });

  it.each(["en", "ko"])(
    "keeps the waiting room under 30 KB over the wire (HTML, JS and CSS), in %s",
    async (lang) => {
      const eventId = await queuedEvent();
      const html = await visit(`${url}/queue/${eventId}`, { cookie: `uid=weigher; lang=${lang}` });
      expect(html.status).toBe(200);
      const linked = [...html.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
      expect(linked.length).toBe(2);
      const files = await Promise.all(linked.map((path) => visit(`${url}${path.replaceAll("&amp;", "&")}`)));
      for (const f of files) expect(f.status).toBe(200);
      const total = html.bytes + files.reduce((sum, f) => sum + f.bytes, 0);
      console.log(
        `waiting-room page weight (${lang}): ${total} bytes (HTML ${html.bytes}, ${linked.map((l, i) => `${l.split("?")[0]} ${files[i]?.bytes}`).join(", ")})`,
      );
      expect(total).toBeLessThan(30 * 1024);
    },
  );

  it("answers an unknown or malformed event with an HTML 404", async () => {
    for (const path of ["/events/999999999", "/events/abc", "/queue/999999999"]) {
      const res = await visit(`${url}${path}`, { cookie: "uid=lost" });
      expect(res.status, path).toBe(404);
      expect(res.text).toContain("No such drop");
    }
  });
});

describe("pages: languages", () => {
  const lang = (text: string) => /^<!doctype html><html lang="(\w+)">/.exec(text)?.[1];

  it("answers in Korean to Accept-Language ko and in English to en or none, by q-value", async () => {
    const cases: [string | undefined, string][] = [
      [undefined, "en"],
      ["en", "en"],
      ["ko", "ko"],
      ["ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"],
      ["en-US,en;q=0.9,ko;q=0.8", "en"],
      ["en;q=0.2, ko;q=0.7", "ko"],
      ["fr-FR, ko;q=0.5, en;q=0.3", "ko"],
      ["ko;q=0, en", "en"],
      ["de, *;q=0.5", "en"],
    ];
    for (const [header, expected] of cases) {
      const res = await visit(`${url}/`, {
        cookie: "uid=linguist",
        headers: header ? { "accept-language": header } : {},
      });
      expect(lang(res.text), String(header)).toBe(expected);
      expect(res.text).toContain(expected === "ko" ? "선착순 쿠폰 이벤트" : "Coupon drops");
    }
  });

  it("says the public pages vary by Accept-Language and Cookie, and caches none of them", async () => {
    const eventId = await queuedEvent();
    for (const path of ["/", `/queue/${eventId}`, `/events/${eventId}`, "/queue/999999999"]) {
      const res = await visit(`${url}${path}`, {
        cookie: "uid=vary-user",
        headers: { "accept-language": "ko" },
      });
      expect(res.headers.vary, path).toBe("Accept-Language, Cookie");
      // The gate's redirect to the waiting room is not cacheable either (a 302 without freshness).
      if (res.status !== 302) expect(res.headers["cache-control"], path).toBe("no-store");
    }
  });

  it("lets the switcher's link set a lang cookie that wins over Accept-Language from then on", async () => {
    const eventId = await queuedEvent();
    const english = { "accept-language": "en-US,en;q=0.9" };
    const page = await visit(`${url}/queue/${eventId}`, { cookie: "uid=switcher", headers: english });
    expect(page.text).toContain(`href="/queue/${eventId}?lang=ko" lang="ko" hreflang="ko">한국어</a>`);

    const switched = await visit(`${url}/queue/${eventId}?lang=ko`, {
      cookie: "uid=switcher",
      headers: english,
    });
    expect(lang(switched.text)).toBe("ko");
    expect(switched.cookies.lang).toMatch(/^lang=ko; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
    for (const path of ["/", `/queue/${eventId}`]) {
      const later = await visit(`${url}${path}`, { cookie: "uid=switcher; lang=ko", headers: english });
      expect(lang(later.text), path).toBe("ko");
      expect(later.cookies.lang, path).toBeUndefined();
    }
    const back = await visit(`${url}/?lang=en`, { cookie: "uid=switcher; lang=ko", headers: english });
    expect(lang(back.text)).toBe("en");
    expect(back.cookies.lang).toMatch(/^lang=en;/);
    const unknown = await visit(`${url}/?lang=xx`, { cookie: "uid=switcher; lang=ko", headers: english });
    expect(lang(unknown.text)).toBe("ko");
    expect(unknown.cookies.lang).toBeUndefined();
  });

  it("shows the waiting room, the coupon answer and the errors in Korean, with the script's messages in Korean", async () => {
    const eventId = await queuedEvent();
    const korean = { "accept-language": "ko-KR" };
    const queue = await visit(`${url}/queue/${eventId}`, { cookie: "uid=hangul", headers: korean });
    expect(queue.text).toContain('<span id="position-label">다음 차례예요</span>');
    expect(queue.text).toContain('"queue.turn":"차례가 되었어요!"');
    expect(queue.text).toContain("예상 대기 시간");

    const open = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    const page = await visit(`${url}/events/${open}`, { cookie: "uid=hangul", headers: korean });
    expect(page.text).toContain("쿠폰 받기");
    const cookie = `uid=hangul; lang=ko; rg_adm_${open}=${cookieValue(page.cookies[`rg_adm_${open}`])}`;
    const form = { "content-type": "application/x-www-form-urlencoded", origin: url };
    const issued = await visit(`${url}/events/${open}/issue`, { method: "POST", cookie, headers: form });
    expect(issued.text).toMatch(/발급 완료! 쿠폰 번호는 RG-[\w-]+입니다\./);
    // The switcher on a POST answer links to the event page itself.
    expect(issued.text).toContain(`href="/events/${open}?lang=en"`);

    const missing = await visit(`${url}/queue/999999999`, { cookie: "uid=hangul", headers: korean });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("없는 이벤트예요");
  });
});

describe("pages: the gate", () => {
  it("sends a visitor over the threshold to the waiting room, which shows their place", async () => {
    const eventId = await queuedEvent();
    const res = await visit(`${url}/events/${eventId}`, { cookie: "uid=page-waiter" });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/queue/${eventId}`);
    const queue = await visit(`${url}/queue/${eventId}`, { cookie: "uid=page-waiter" });
    expect(queue.text).toContain(`You&#39;re next`);
    expect(queue.text).toMatch(/<meta http-equiv="refresh" content="\d;url=\/queue\/\d+\?from=1"/);
    // Refreshing keeps the place.
    await p.client.enter(eventId, "behind");
    const again = await visit(`${url}/queue/${eventId}?from=1`, { cookie: "uid=page-waiter" });
    expect(again.text).toMatch(/id="position">1</);
  });

  it("counts a page visit as an entry, like the API", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    await visit(`${url}/events/${eventId}`, { cookie: "uid=counted" });
    // The router's count reaches the stats once a flush (every 250 ms) has landed: wait for it.
    await expect.poll(async () => (await p.client.stats(eventId)).body.liveRpm, { timeout: 5_000 }).toBe(1);
  });

  it("says sold out in the waiting room once the stock is gone", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 1 });
    expect(await p.client.rush(eventId, "taker")).toBe("issued");
    const res = await visit(`${url}/queue/${eventId}`, { cookie: "uid=too-late" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Sold out");
  });
});

describe("pages: cookie credentials", () => {
  it("turns the admission cookie into the bearer token for a same-site issue request", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    const page = await visit(`${url}/events/${eventId}`, { cookie: "uid=cookie-issuer" });
    const cookie = `uid=cookie-issuer; rg_adm_${eventId}=${cookieValue(page.cookies[`rg_adm_${eventId}`])}`;
    const path = `/api/events/${eventId}/issue`;

    const foreign = await p.client.call("POST", path, {
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: { code: "forbidden" } });
    const anonymous = await p.client.call("POST", path, { headers: { cookie } });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toMatchObject({ error: { code: "forbidden" } });

    const issued = await p.client.call("POST", path, { headers: { cookie, origin: url } });
    expect(issued.status).toBe(201);
    const again = await p.client.call("POST", path, {
      headers: { cookie, referer: `${url}/events/${eventId}` },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "already_issued" } });
  });

  it("leaves header-authenticated API calls as they were", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    expect((await p.client.issue(eventId, "no-token")).status).toBe(403);
    expect(await p.client.rush(eventId, "api-user")).toBe("issued");
  });

  it("issues through the event page's form when JavaScript is off", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), stock: 5 });
    const page = await visit(`${url}/events/${eventId}`, { cookie: "uid=form-user" });
    const cookie = `uid=form-user; rg_adm_${eventId}=${cookieValue(page.cookies[`rg_adm_${eventId}`])}`;
    const form = { "content-type": "application/x-www-form-urlencoded", origin: url };
    const res = await visit(`${url}/events/${eventId}/issue`, { method: "POST", cookie, headers: form });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Issued! Your coupon is RG-/);
    const again = await visit(`${url}/events/${eventId}/issue`, { method: "POST", cookie, headers: form });
    expect(again.text).toContain("Already issued.");
    const forged = await visit(`${url}/events/${eventId}/issue`, {
      method: "POST",
      cookie,
      headers: { ...form, origin: "https://evil.example" },
    });
    expect(forged.status).toBe(403);
  });
});

describe("pages: admin sign-in", () => {
  async function signIn(): Promise<string> {
    const res = await visit(`${url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
      body: `operator=tester&token=${encodeURIComponent(TEST_ADMIN_TOKEN)}`,
    });
    expect(res.status).toBe(303);
    const line = res.cookies.rg_admin ?? "";
    expect(line).toMatch(/; Path=\/admin; HttpOnly; SameSite=Strict$/);
    expect(line).not.toContain(TEST_ADMIN_TOKEN);
    return `rg_admin=${cookieValue(line)}`;
  }

  it("refuses a wrong token and never puts the token in a URL", async () => {
    const res = await visit(`${url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
      body: "operator=tester&token=wrong-token-123",
    });
    expect(res.status).toBe(401);
    expect(res.cookies.rg_admin).toBeUndefined();
    const form = await visit(`${url}/admin`);
    expect(form.text).toContain('method="post" action="/admin/login"');
  });

  it("lets the admin cookie use the admin API, with CSRF checks on unsafe requests", async () => {
    const cookie = await signIn();
    expect((await visit(`${url}/admin`, { cookie })).text).toContain("Dashboard");
    expect((await p.client.call("GET", "/admin/api/traffic", { headers: { cookie } })).status).toBe(200);

    const put = (headers: Record<string, string>) =>
      p.client.call("PUT", "/admin/api/traffic", {
        headers: { cookie, ...headers },
        body: { rpmThreshold: 42 },
      });
    const foreign: Record<string, string>[] = [
      {},
      { origin: "https://evil.example" },
      { referer: "https://evil.example/admin" },
    ];
    for (const bad of foreign) {
      const res = await put(bad);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: "forbidden" } });
    }
    expect((await put({ origin: url })).body).toEqual({ rpmThreshold: 42 });
    expect((await put({ referer: `${url}/admin` })).status).toBe(200);

    // Forwarded to the coupon server, which only knows the bearer token.
    const now = Date.now();
    const created = await p.client.call("POST", "/admin/api/events", {
      headers: { cookie, origin: url },
      body: {
        name: "Cookie drop",
        stock: 3,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 180_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    const stats = await p.client.call("GET", `/admin/api/events/${created.body.id}/stats`, {
      headers: { cookie },
    });
    expect(stats.status).toBe(200);

    expect(
      (await p.client.call("GET", "/admin/api/traffic", { headers: { cookie: "rg_admin=1.forged" } })).status,
    ).toBe(401);
    const out = await visit(`${url}/admin/logout`, {
      method: "POST",
      cookie,
      headers: { origin: url },
    });
    expect(out.status).toBe(303);
    expect(out.cookies.rg_admin).toMatch(/^rg_admin=; Max-Age=0/);
  });
});
