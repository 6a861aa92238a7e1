import type { CouponView, EventView, WaitingBody } from "@rushgate/api";
import { describe, expect, it } from "vitest";
import { assetKeys } from "../assets";
import { ErrorPage, EventPage, NotFoundPage } from "../event";
import { HomePage } from "../home";
import { QueuePage } from "../queue";
import { catalogues, type Locale, type PageI18n, pageLanguage } from ".";
import { en, SAME_EVERYWHERE } from "./en";

/**
 * Every state of every public page, rendered in each language. A Korean page that shows an English
 * sentence (or any Latin word that is not a name, a code or the brand) has text outside the
 * catalogue, or a key the Korean catalogue translates to English.
 */
const now = Date.now();
const iso = (ms: number) => new Date(now + ms).toISOString();
const event = (over: Partial<EventView> = {}): EventView => ({
  id: 7,
  name: "봄맞이 운동화 40% 할인",
  stock: 5000,
  remaining: 1234,
  startsAt: iso(-60_000),
  endsAt: iso(3_600_000),
  status: "open",
  prequeue: "fifo",
  seedCommitment: null,
  seed: null,
  shuffledAt: null,
  ...over,
});
const waiting = (over: Partial<WaitingBody> = {}): WaitingBody =>
  ({
    status: "waiting",
    position: 42,
    waiting: 1500,
    etaSeconds: 200,
    pollAfterMs: 1000,
    ...over,
  }) as WaitingBody;
const coupon = (over: Partial<CouponView> = {}): CouponView =>
  ({
    eventId: 7,
    couponId: "RG-29NQ-QGQZ-E48J-A4VP",
    state: "persisted",
    issuedAt: iso(-5_000),
    ...over,
  }) as CouponView;

type Render = (m: PageI18n) => unknown;
const states: Record<string, Render> = {
  "home, list": (m) =>
    HomePage({
      m,
      events: [
        event(),
        event({ id: 8, status: "upcoming", startsAt: iso(3_600_000) }),
        event({ id: 9, status: "sold_out", remaining: 0 }),
        event({ id: 10, status: "ended", remaining: 3 }),
      ],
    }),
  "home, empty": (m) => HomePage({ m, events: [] }),
  "home, unavailable": (m) => HomePage({ m, events: null }),
  "event, admitted": (m) =>
    EventPage({ m, event: event(), admitted: true, admissionExpiresAt: iso(30_000), coupons: [] }),
  "event, already issued": (m) =>
    EventPage({
      m,
      event: event(),
      admitted: true,
      coupons: [coupon(), coupon({ eventId: 3, state: "pending" })],
    }),
  "event, ended": (m) => EventPage({ m, event: event({ status: "ended" }), admitted: false, coupons: [] }),
  "event, sold out": (m) =>
    EventPage({ m, event: event({ status: "sold_out", remaining: 0 }), admitted: false, coupons: [] }),
  "event, issued by the form": (m) =>
    EventPage({
      m,
      event: event(),
      admitted: true,
      coupons: [coupon()],
      notice: {
        kind: "ok",
        title: m.t("event.issued", { code: "RG-1" }),
        children: m.t("event.issuedDetail"),
      },
    }),
  "event, expired by the form": (m) =>
    EventPage({
      m,
      event: event(),
      admitted: false,
      coupons: [],
      notice: { kind: "warn", title: m.t("event.expired"), children: m.t("event.expiredDetail") },
    }),
  "queue, waiting": (m) => QueuePage({ m, event: event(), state: waiting(), from: 60 }),
  "queue, next": (m) =>
    QueuePage({ m, event: event(), state: waiting({ position: 1, etaSeconds: null }), from: 1 }),
  "queue, long wait": (m) => QueuePage({ m, event: event(), state: waiting({ etaSeconds: 5400 }), from: 42 }),
  "queue, upcoming": (m) =>
    QueuePage({
      m,
      event: event({ status: "upcoming", startsAt: iso(600_000) }),
      state: waiting(),
      from: 42,
    }),
  "queue, sold out": (m) => QueuePage({ m, event: event(), state: "sold_out", from: 0 }),
  "queue, ended": (m) => QueuePage({ m, event: event(), state: "ended", from: 0 }),
  "not found": (m) => NotFoundPage({ m }),
  refused: (m) => ErrorPage({ m, title: "error.refused", detail: "error.refusedDetail" }),
  "sign in": (m) => ErrorPage({ m, title: "error.signIn", detail: "error.signInDetail" }),
  "slow down": (m) => ErrorPage({ m, title: "error.slowDown", detail: "error.slowDownDetail", retry: "/" }),
  busy: (m) => ErrorPage({ m, title: "error.busy", detail: "error.busyDetail", retry: "/" }),
};

async function render(locale: Locale, state: Render) {
  const html = String(await String(state(pageLanguage(locale, "/here?from=3"))));
  const json = /<script type="application\/json" id="rg-i18n">(.*?)<\/script>/.exec(html)?.[1];
  const attributes = [...html.matchAll(/\s(?:aria-label|title|alt|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  const text =
    `${html.replace(/<script[^>]*>.*?<\/script>/gs, " ").replace(/<[^>]+>/g, " ")} ${attributes.join(" ")}`
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  return { html, text, embedded: json === undefined ? undefined : JSON.parse(json) };
}

/** The English words a translated page must not show: each message's text around its placeholders. */
const englishFragments = Object.entries(en)
  .filter(([key]) => !SAME_EVERYWHERE.has(key as keyof typeof en))
  .flatMap(([, text]) => text.split(/\{\w+\}/))
  .map((f) => f.trim().replace(/^[\s.,:;—·#()]+|[\s.,:;—·#()]+$/g, ""))
  .filter((f) => /[A-Za-z]{3,}/.test(f));

describe("every public page state, in Korean", () => {
  for (const [name, state] of Object.entries(states))
    it(`shows only Korean text: ${name}`, async () => {
      const { html, text, embedded } = await render("ko", state);
      expect(html).toMatch(/^<html lang="ko">/);
      for (const fragment of englishFragments) expect(text, `"${fragment}"`).not.toContain(fragment);
      const latin = text
        .replace(/RG-[A-Z0-9-]+/g, "")
        .replace(/rush\s*gate|English|GMT[+-]\d+/g, "")
        .match(/[A-Za-z]{2,}/g);
      expect(latin, "Latin words outside the catalogue").toBeNull();
      expect(text).not.toMatch(/\{\w+\}/);
      if (embedded) {
        const script = /<script src="\/assets\/([\w.]+)\?/.exec(html)?.[1] ?? "";
        expect(embedded.locale).toBe("ko");
        expect(Object.keys(embedded.messages).sort()).toEqual([...(assetKeys[script] ?? [])].sort());
        for (const [key, message] of Object.entries(embedded.messages))
          expect(message).toBe(catalogues.ko[key as keyof typeof en]);
      }
    });
});

describe("every public page state, in English", () => {
  it("shows no Korean but the switcher's 한국어, and says it is English", async () => {
    for (const [name, state] of Object.entries(states)) {
      const { html, text } = await render("en", state);
      expect(html, name).toMatch(/^<html lang="en">/);
      const hangul = text.replace(/봄맞이 운동화 40% 할인|한국어/g, "").match(/[\uac00-\ud7a3]+/g);
      expect(hangul, name).toBeNull();
    }
  });

  it("links the other language to the same page, keeping its query", async () => {
    const { html } = await render("en", states["queue, waiting"] as Render);
    expect(html).toContain('<a href="/here?from=3&amp;lang=ko" lang="ko" hreflang="ko">한국어</a>');
    expect(html).toContain('<span lang="en" aria-current="true">English</span>');
    expect(pageLanguage("en", "http://router//evil.example/x?y=1").switchTo.ko).toBe(
      "/evil.example/x?y=1&lang=ko",
    );
  });
});
