/** What a page says things with, on the server and in the page scripts alike. */
export interface Runtime {
  locale: string;
  /** The message `key` with `{name}` placeholders filled in (numbers formatted for the locale). */
  t(key: string, params?: Record<string, string | number>): string;
  number(n: number): string;
  /** `percent` is 0–100. */
  percent(percent: number): string;
  /** A duration in whole seconds: "3 sec", "3초". */
  seconds(seconds: number): string;
  date(at: string | number | Date): string;
  /** The waiting room's estimate: "about 3 min", "약 3분". */
  eta(seconds: number | null | undefined): string;
}

/** How a locale writes its times, beyond what `Intl` picks for it. */
export interface LocaleStyle {
  hourCycle?: "h12" | "h23";
  /** The zone the server shows times in (with its name) before a page script shows local time. */
  timeZone: string;
}

/**
 * The formatting rules, written once: the server calls this function, and the page scripts get
 * its source (`i18nRuntime.toString()`, see assets/common.ts), so the two can never disagree. It
 * must therefore stay self-contained: no imports, nothing from outside its own body.
 * `timeZone` undefined means the reader's own zone (in the browser), shown without its name.
 */
export function i18nRuntime(
  locale: string,
  messages: Record<string, string>,
  hourCycle: "h12" | "h23" | undefined,
  timeZone: string | undefined,
): Runtime {
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const unit = (name: string, digits: number) =>
    new Intl.NumberFormat(locale, {
      style: "unit",
      unit: name,
      unitDisplay: "short",
      maximumFractionDigits: digits,
    });
  const secs = unit("second", 0);
  const mins = unit("minute", 0);
  const hours = unit("hour", 1);
  const options: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: hourCycle === "h23" ? "2-digit" : "numeric",
    minute: "2-digit",
  };
  if (hourCycle) options.hourCycle = hourCycle;
  if (timeZone) {
    options.timeZone = timeZone;
    options.timeZoneName = "short";
  }
  const dates = new Intl.DateTimeFormat(locale, options);

  function t(key: string, params?: Record<string, string | number>): string {
    const text = Object.hasOwn(messages, key) ? String(messages[key]) : key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params ? params[name] : undefined;
      if (value === undefined) return whole;
      return typeof value === "number" ? numbers.format(value) : value;
    });
  }

  return {
    locale,
    t,
    number: (n) => numbers.format(n),
    percent: (p) => percents.format(p / 100),
    seconds: (s) => secs.format(Math.round(s)),
    date: (at) => {
      const d = new Date(at);
      return Number.isNaN(d.getTime()) ? "" : dates.format(d);
    },
    eta: (seconds) => {
      if (seconds === null || seconds === undefined) return t("eta.unknown");
      if (seconds < 60) return t("eta.underMinute");
      const minutes = Math.round(seconds / 60);
      const duration = minutes < 60 ? mins.format(minutes) : hours.format(Math.round(minutes / 6) / 10);
      return t("eta.about", { duration });
    },
  };
}
