import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { assetKeys, assetUrl } from "./assets";
import { clientMessages, type I18n, i18n, LOCALES, type PageI18n } from "./i18n";

export interface LayoutProps {
  title: string;
  /** One page script from /assets (each already includes the common helpers). */
  script?: string;
  /** Extra head elements (the waiting room's no-JS refresh). */
  head?: Child;
  wide?: boolean;
  nav?: Child;
  children?: Child;
  /** The reader's language and the switcher's links; without it (the admin pages), English and no switcher. */
  i18n?: PageI18n;
}

/** The page script's messages, as data (not code, so the CSP's `script-src 'self'` still holds). */
function ScriptMessages(props: { m: I18n; script: string }) {
  const json = JSON.stringify(clientMessages(props.m, assetKeys[props.script] ?? [])).replace(
    /</g,
    "\\u003c",
  );
  return <script type="application/json" id="rg-i18n" dangerouslySetInnerHTML={{ __html: json }} />;
}

/** Links to this page in each language, each named in its own language; works without JavaScript. */
function LanguageSwitcher({ m }: { m: PageI18n }) {
  return (
    <nav class="langs" aria-label={m.t("layout.languages")}>
      {LOCALES.map((locale) =>
        locale === m.locale ? (
          <span lang={locale} aria-current="true">
            {m.t(`lang.${locale}`)}
          </span>
        ) : (
          <a href={m.switchTo[locale]} lang={locale} hreflang={locale}>
            {m.t(`lang.${locale}`)}
          </a>
        ),
      )}
    </nav>
  );
}

export function Layout(props: LayoutProps) {
  const m = props.i18n ?? i18n();
  return (
    <html lang={m.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{m.t("layout.title", { page: props.title })}</title>
        <link rel="stylesheet" href={assetUrl("app.css")} />
        {props.head}
        {props.script ? <ScriptMessages m={m} script={props.script} /> : null}
        {props.script ? <script src={assetUrl(props.script)} defer /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          {m.t("layout.skip")}
        </a>
        <header class="top">
          <a class="brand" href="/">
            rush<span>gate</span>
          </a>
          <div class="tools">
            <nav aria-label={m.t("layout.site")}>{props.nav ?? <a href="/">{m.t("layout.allDrops")}</a>}</nav>
            {props.i18n ? <LanguageSwitcher m={props.i18n} /> : null}
          </div>
        </header>
        <main id="main" class={props.wide ? "wide" : undefined}>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/**
 * A `<time>` in the reader's language, which the page scripts show in the reader's own time zone;
 * until then (or without JavaScript) in the language's usual zone, named.
 */
export function Time(props: { at: string | number | Date; m: I18n }) {
  const d = new Date(props.at);
  return (
    <time datetime={d.toISOString()} data-local="">
      {props.m.date(d)}
    </time>
  );
}

export interface NoticeProps {
  kind: "ok" | "warn" | "bad" | "info";
  title: string;
  children?: Child;
  id?: string;
}

export function Notice(props: NoticeProps) {
  return (
    <div id={props.id} class={`notice ${props.kind}`} role="status" tabindex={-1}>
      <strong>{props.title}</strong>
      {props.children ? <p>{props.children}</p> : null}
    </div>
  );
}

/** Renders a page: doctype, never cached (every page is personal or live). */
export async function render(c: Context, page: Child, status: 200 | 400 | 401 | 403 | 404 | 429 | 503 = 200) {
  c.header("cache-control", "no-store");
  return c.html(html`<!doctype html>${page}`, status);
}
