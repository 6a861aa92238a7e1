import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { languageDetector } from "hono/language";
import { isHttps } from "../../identity";
import { type Catalogue, en, type MessageKey } from "./en";
import { ko } from "./ko";
import { i18nRuntime, type LocaleStyle, type Runtime } from "./runtime";

export type { MessageKey } from "./en";

/** Every language of the public pages; the first one is the default. */
export const catalogues = { en, ko } satisfies Record<string, Catalogue>;
export type Locale = keyof typeof catalogues;
export const LOCALES = Object.keys(catalogues) as Locale[];
export const DEFAULT_LOCALE: Locale = "en";

/**
 * Korean readers are in Korea, so before a page script turns times into the reader's own zone
 * (or without JavaScript) they see Korean time; 24-hour clocks are the norm on Korean sites.
 */
const styles: Record<Locale, LocaleStyle> = {
  en: { timeZone: "UTC" },
  ko: { timeZone: "Asia/Seoul", hourCycle: "h23" },
};

/** The cookie the language switcher sets (and the query parameter it sets it with). */
export const LANG_COOKIE = "lang";

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;
type Names<K extends MessageKey> = Placeholders<(typeof en)[K]>;
type Args<K extends MessageKey> = [Names<K>] extends [never] ? [] : [Record<Names<K>, string | number>];
/** The keys of messages without placeholders (which can be chosen at run time). */
export type PlainKey = { [K in MessageKey]: [Names<K>] extends [never] ? K : never }[MessageKey];

export interface I18n extends Omit<Runtime, "t"> {
  locale: Locale;
  style: LocaleStyle;
  /** A message, its placeholders type-checked against the English text. */
  t<K extends MessageKey>(key: K, ...params: Args<K>): string;
  /** A message with elements put in its placeholders, for JSX: ["Opens at ", <time/>, "."]. */
  rich<K extends MessageKey, P>(key: K, parts: Record<Names<K>, P | string | number>): (P | string)[];
}

function make(locale: Locale): I18n {
  const messages: Catalogue = catalogues[locale];
  const runtime = i18nRuntime(locale, messages, styles[locale].hourCycle, styles[locale].timeZone);
  return {
    ...runtime,
    locale,
    style: styles[locale],
    t: (key, ...params) => runtime.t(key, params[0]),
    rich: (key, parts) =>
      // split() with a capture group alternates text and placeholder names.
      messages[key].split(/\{(\w+)\}/).map((piece, i) => {
        if (i % 2 === 0) return piece;
        const part = (parts as Record<string, unknown>)[piece];
        return typeof part === "number" ? runtime.number(part) : (part as string);
      }),
  };
}

const made = Object.fromEntries(LOCALES.map((l) => [l, make(l)])) as Record<Locale, I18n>;

export function i18n(locale: Locale = DEFAULT_LOCALE): I18n {
  return made[locale];
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && Object.hasOwn(catalogues, value);
}

/** The messages a page script uses (its `t("…")` keys), for the JSON the page embeds. */
export function clientMessages(m: I18n, keys: readonly string[]) {
  const messages: Record<string, string> = {};
  for (const key of keys)
    if (Object.hasOwn(catalogues[m.locale], key)) messages[key] = catalogues[m.locale][key as MessageKey];
  return { locale: m.locale, hourCycle: m.style.hourCycle ?? null, messages };
}

/**
 * Picks the page language: `?lang=` (the switcher's links, which also set the cookie, so it works
 * without JavaScript), then the `lang` cookie, then `Accept-Language` by q-value, else English.
 * The answers vary by those, so they say so (pages are not cached anyway).
 */
export function languages(): MiddlewareHandler {
  const detect = languageDetector({
    supportedLanguages: LOCALES,
    fallbackLanguage: DEFAULT_LOCALE,
    order: ["querystring", "cookie", "header"],
    lookupQueryString: LANG_COOKIE,
    lookupCookie: LANG_COOKIE,
    caches: false,
  });
  return async function languages(c, next) {
    await detect(c, async () => {
      const locale = c.get("language");
      const asked = c.req.query(LANG_COOKIE)?.toLowerCase();
      if (asked === locale && getCookie(c, LANG_COOKIE) !== locale)
        setCookie(c, LANG_COOKIE, locale, {
          path: "/",
          sameSite: "Lax",
          httpOnly: true,
          secure: isHttps(c),
          maxAge: 365 * 24 * 3600,
        });
      c.header("vary", "Accept-Language, Cookie");
      await next();
    });
  };
}

/** A page's language, with the links of the language switcher. */
export interface PageI18n extends I18n {
  /** Where each language's switcher link goes: this page, in that language. */
  switchTo: Record<Locale, string>;
}

/** The language `languages()` picked for this request; `here` is the page's own GET address, for pages answering a POST. */
export function pageI18n(c: Context, here?: string): PageI18n {
  const language = c.get("language");
  return pageLanguage(isLocale(language) ? language : DEFAULT_LOCALE, here ?? c.req.url);
}

export function pageLanguage(locale: Locale, here: string): PageI18n {
  const url = new URL(here, "http://page");
  const switchTo = {} as Record<Locale, string>;
  for (const other of LOCALES) {
    url.searchParams.set(LANG_COOKIE, other);
    // One leading slash: "//host/…" would be a link to another site.
    switchTo[other] = `${url.pathname.replace(/^\/+/, "/")}${url.search}`;
  }
  return { ...i18n(locale), switchTo };
}
