import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type FairnessReport, parseExport, verifyFairness } from "@rushgate/api";

/**
 * `pnpm verify-fairness <eventId | export-file>`: checks an event's admission log export (from a
 * file, or fetched from the admin API at ROUTER_URL with ADMIN_TOKEN) with the pure verifier of
 * @rushgate/api, prints each check, and exits 1 when one fails (2: no usable export).
 */
const USAGE = `usage: pnpm verify-fairness <eventId | export-file> [--url <router>] [--token <admin token>] [--json]
  an event id fetches GET <router>/admin/api/events/<id>/admissions (ROUTER_URL, default
  http://127.0.0.1:8080; ADMIN_TOKEN, default the development token); anything else is read as an
  export file (JSON lines or CSV).`;

async function loadExport(
  target: string,
  options: { url: string; token: string },
): Promise<{ text: string; source: string }> {
  if (/^[1-9][0-9]*$/.test(target) && !existsSync(target)) {
    const url = `${options.url.replace(/\/$/, "")}/admin/api/events/${target}/admissions?format=jsonl`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${options.token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
    return { text, source: url };
  }
  return { text: await readFile(target, "utf8"), source: target };
}

function formatReport(report: FairnessReport): string {
  const lines = report.checks.map((c) => `${c.ok ? "PASS" : "FAIL"}  ${c.name}\n      ${c.detail}`);
  lines.push(report.ok ? "all checks passed" : "some checks FAILED");
  return lines.join("\n");
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: "string" }, token: { type: "string" }, json: { type: "boolean" } },
  });
  const target = positionals[0];
  if (!target || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const url = values.url ?? env.ROUTER_URL ?? "http://127.0.0.1:8080";
  const token = values.token ?? env.ADMIN_TOKEN ?? "dev-admin-token";
  let report: FairnessReport;
  try {
    const { text, source } = await loadExport(target, { url, token });
    const ex = parseExport(text);
    if (!values.json) console.log(`event ${ex.event.eventId} "${ex.event.name}" from ${source}`);
    report = verifyFairness(ex);
  } catch (err) {
    console.error(`verify-fairness: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

// pnpm passes a "--" through when the caller separates arguments with it.
main(
  process.argv.slice(2).filter((a) => a !== "--"),
  process.env,
).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
