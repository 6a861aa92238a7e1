import { request } from "undici";

export interface Page {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  bytes: number;
  /** Set-Cookie headers, by cookie name. */
  cookies: Record<string, string>;
}

/** A raw HTTP visit, as a browser would make it but with every header in the test's hands. */
export async function visit(
  url: string,
  options: { method?: string; cookie?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Page> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const res = await request(url, { method: (options.method ?? "GET") as "GET", headers, body: options.body });
  const buffer = Buffer.from(await res.body.arrayBuffer());
  const raw = res.headers["set-cookie"];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const cookies: Record<string, string> = {};
  for (const line of list) cookies[line.slice(0, line.indexOf("="))] = line;
  return {
    status: res.statusCode,
    headers: res.headers,
    text: buffer.toString("utf8"),
    bytes: buffer.length,
    cookies,
  };
}

/** The value of a Set-Cookie line. */
export function cookieValue(line: string | undefined): string {
  if (!line) throw new Error("no such cookie was set");
  return line.slice(line.indexOf("=") + 1).split(";")[0] ?? "";
}

/**
 * Test events end within minutes: the test database outlives runs, and `GET /api/events` lists
 * at most 100 active events, so long-lived test events would push others out of the list.
 */
export const shortWindow = () => ({ endsAt: new Date(Date.now() + 3 * 60_000).toISOString() });
