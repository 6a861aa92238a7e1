import { describe, expect, it } from "vitest";
import { assetKeys, assets } from "../assets";
import { eventJs } from "../assets/event";
import { queueJs } from "../assets/queue";
import { catalogues, i18n, LOCALES } from ".";
import { en, SAME_EVERYWHERE } from "./en";
import { i18nRuntime, type Runtime } from "./runtime";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the message catalogues", () => {
  it("give every language every English key, no other key, and no empty message", () => {
    const keys = Object.keys(en).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(catalogues[locale]).sort(), locale).toEqual(keys);
      for (const [key, text] of Object.entries(catalogues[locale]))
        expect(text.trim(), `${locale} ${key}`).not.toBe("");
    }
  });

  it("use the same placeholders in every language", () => {
    for (const locale of LOCALES)
      for (const [key, text] of Object.entries(catalogues[locale]))
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
  });

  it("translate every message except the brand and the languages' own names", () => {
    for (const [key, text] of Object.entries(catalogues.ko))
      if (!SAME_EVERYWHERE.has(key as keyof typeof en))
        expect(text, key).not.toBe(en[key as keyof typeof en]);
  });
});

describe("numbers, dates and durations", () => {
  const at = "2026-12-01T16:34:00Z";

  it("are written the English way for English readers (times in UTC, named, until a script localises them)", () => {
    const m = i18n("en");
    expect([m.eta(null), m.eta(30), m.eta(180), m.eta(5400)]).toEqual([
      "working it out…",
      "less than a minute",
      "about 3 min",
      "about 1.5 hr",
    ]);
    expect(m.seconds(3)).toBe("3 sec");
    expect(m.number(12345)).toBe("12,345");
    expect(m.percent(45)).toBe("45%");
    expect(m.date(at)).toBe("Dec 1, 2026, 4:34 PM UTC");
    expect(m.t("queue.number", { position: 1234 })).toBe("You're number 1,234 in line");
  });

  it("are written the Korean way for Korean readers (Korean time, 24-hour clock)", () => {
    const m = i18n("ko");
    expect([m.eta(null), m.eta(30), m.eta(180), m.eta(5400)]).toEqual([
      "계산 중…",
      "1분 이내",
      "약 3분",
      "약 1.5시간",
    ]);
    expect(m.seconds(3)).toBe("3초");
    expect(m.t("queue.people", { count: 1234 })).toBe("1,234명");
    expect(m.percent(45)).toBe("45%");
    expect(m.date(at)).toBe("2026년 12월 2일 01:34 GMT+9");
  });

  it("come out the same from the page scripts, which run the server's own runtime", () => {
    for (const locale of LOCALES) {
      const style = i18n(locale).style;
      const payload = { locale, hourCycle: style.hourCycle ?? null, messages: catalogues[locale] };
      const document = {
        getElementById: (id: string) => (id === "rg-i18n" ? { textContent: JSON.stringify(payload) } : null),
        querySelectorAll: () => [],
      };
      const body = assets["common.js"]?.body ?? "";
      const rg = new Function("document", `${body}; return rg;`)(document) as Runtime;
      // The script shows the reader's own zone: compare with the server's rules without a fixed zone.
      const server = i18nRuntime(locale, catalogues[locale], style.hourCycle, undefined);
      for (const s of [null, 0, 59, 60, 89, 3599, 3600, 5400, 86_400 * 3])
        expect(rg.eta(s), `${locale} ${s}`).toBe(server.eta(s));
      expect(rg.seconds(7)).toBe(server.seconds(7));
      expect(rg.percent(83)).toBe(server.percent(83));
      expect(rg.date("2026-12-01T16:34:00Z")).toBe(server.date("2026-12-01T16:34:00Z"));
      expect(rg.t("queue.busy", { wait: rg.seconds(2) })).toBe(
        server.t("queue.busy", { wait: server.seconds(2) }),
      );
    }
  });
});

describe("the page scripts", () => {
  const pageScripts = { "queue.js": queueJs, "event.js": eventJs };

  it("name every message key literally, and only keys the catalogue has", () => {
    for (const [name, body] of Object.entries(pageScripts)) {
      expect(body, name).not.toMatch(/\brg\.t\((?!")/);
      for (const key of assetKeys[name] ?? []) expect(Object.hasOwn(en, key), `${name}: ${key}`).toBe(true);
    }
    expect(assetKeys["queue.js"]).toEqual(expect.arrayContaining(["queue.turn", "eta.about"]));
  });

  it("hold no text of their own: no catalogue sentence, and no string that reads like one", () => {
    const classNames = new Set(["notice warn small", "muted small", "notice "]);
    for (const [name, body] of Object.entries({
      ...pageScripts,
      "common.js": assets["common.js"]?.body ?? "",
    })) {
      for (const text of Object.values(en))
        for (const fragment of text.split(/\{\w+\}/).map((f) => f.trim()))
          if (fragment.length >= 8) expect(body.includes(fragment), `${name} has "${fragment}"`).toBe(false);
      const literals = [...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
      const prose = literals.filter(
        (s) => !classNames.has(s) && (/[A-Z][a-z]+[\s,.!?…]/.test(s) || /[a-z]+ [a-z]+ [a-z]+/.test(s)),
      );
      expect(prose, name).toEqual([]);
    }
  });
});
