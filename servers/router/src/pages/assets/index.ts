import { createHash } from "node:crypto";
import { adminJs } from "./admin";
import { adminAuditCss, adminAuditJs } from "./admin-audit";
import { adminChangesJs } from "./admin-changes";
import { adminSwitchesJs } from "./admin-switches";
import { commonJs } from "./common";
import { appCss } from "./css";
import { eventJs } from "./event";
import { queueJs } from "./queue";

export interface Asset {
  body: string;
  type: string;
  /** Content hash, part of the URL, so that the file can be cached for good. */
  version: string;
}

function asset(body: string, type: string): Asset {
  return { body, type, version: createHash("sha256").update(body).digest("hex").slice(0, 10) };
}

const js = "text/javascript; charset=utf-8";

/** Every static file the pages use, served from memory under /assets/<name>. */
export const assets: Record<string, Asset> = {
  "app.css": asset((appCss + adminAuditCss).trim(), "text/css; charset=utf-8"),
  "queue.js": asset(commonJs + queueJs, js),
  "event.js": asset(commonJs + eventJs, js),
  "admin.js": asset(commonJs + adminJs + adminSwitchesJs + adminChangesJs + adminAuditJs, js),
  "common.js": asset(commonJs, js),
};

export type AssetName = keyof typeof assets;

/**
 * The message keys each script uses, read from its `t("key"…)` calls (which is why scripts always
 * name a key literally): the page embeds exactly these messages, in the reader's language.
 */
export const assetKeys: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(assets)
    .filter(([name]) => name.endsWith(".js"))
    .map(([name, a]) => [
      name,
      [...new Set([...a.body.matchAll(/\bt\(\s*"([\w.-]+)"/g)].map((m) => m[1] ?? ""))],
    ]),
);

/** The URL of an asset, versioned by its content. */
export function assetUrl(name: string): string {
  const a = assets[name];
  if (!a) throw new Error(`unknown asset ${name}`);
  return `/assets/${name}?v=${a.version}`;
}
