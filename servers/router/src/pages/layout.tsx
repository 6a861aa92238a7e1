import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { assetUrl } from "./assets";

export interface LayoutProps {
  title: string;
  /** One page script from /assets (each already includes the common helpers). */
  script?: string;
  /** Extra head elements (the waiting room's no-JS refresh). */
  head?: Child;
  wide?: boolean;
  nav?: Child;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · rushgate`}</title>
        <link rel="stylesheet" href={assetUrl("app.css")} />
        {props.head}
        {props.script ? <script src={assetUrl(props.script)} defer /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            rush<span>gate</span>
          </a>
          <nav aria-label="Site">{props.nav ?? <a href="/">All drops</a>}</nav>
        </header>
        <main id="main" class={props.wide ? "wide" : undefined}>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A `<time>` the page scripts show in the reader's time zone; UTC until then. */
export function Time(props: { at: string | number | Date }) {
  const d = new Date(props.at);
  const utc = `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return (
    <time datetime={d.toISOString()} data-local="">
      {utc}
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
