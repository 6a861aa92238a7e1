import { setTimeout as sleep } from "node:timers/promises";
import { type AdmissionExport, parseExport, verifyFairness } from "@rushgate/api";
import type { Check } from "./invariants";

/**
 * The run's admission log, exported through the router and checked by the verifier of
 * `pnpm verify-fairness`. The issuer drains the log into MySQL every second or so, so the export
 * is read again until two reads agree.
 */
export async function checkFairness(baseUrl: string, adminToken: string, eventId: number): Promise<Check[]> {
  const url = `${baseUrl.replace(/\/$/, "")}/admin/api/events/${eventId}/admissions`;
  let ex: AdmissionExport | undefined;
  for (let read = 0; read < 30; read++) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
    const next = parseExport(text);
    if (ex && next.records.length === ex.records.length) break;
    ex = next;
    await sleep(1_500);
  }
  if (!ex) throw new Error(`GET ${url} gave no export`);
  return verifyFairness(ex).checks.map((c) => ({ name: `fairness ${c.name}`, ok: c.ok, detail: c.detail }));
}
