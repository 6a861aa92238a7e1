import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AdmissionExport,
  CHECK_NAMES,
  exportHeader,
  exportLine,
  parseExport,
  prequeueOrder,
  seedCommitment,
  verifyFairness,
} from "@rushgate/api";
import { countAdmissionLog, countIssuances } from "@rushgate/db";
import { TEST_ADMIN_TOKEN, useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

const CLI = fileURLToPath(new URL("../../infra/dist/verify-fairness.js", import.meta.url));
const STOCK = 40;

let p: Platform;
let eventId: number;
const database = useDatabase();

/** The rush: people waiting before the start (three of them leave), more arriving after it. */
beforeAll(async () => {
  p = await startPlatform({ env: { ADMISSION_LOG_DRAIN_MS: "100" } });
  const startsAt = Date.now() + 2_000;
  eventId = await p.client.createEvent({
    stock: STOCK,
    startsAt: new Date(startsAt).toISOString(),
    runningCapacity: 10,
    admitPerTick: 5,
  });
  const early = Array.from({ length: 50 }, (_, i) => `early-${i}-${p.prefix}`);
  for (const user of early) expect((await p.client.enter(eventId, user)).status).toBe(202);
  const leavers = early.slice(1, 4);
  for (const user of leavers) expect((await p.client.leave(eventId, user)).status).toBe(204);
  await waitFor(
    () => p.client.call<{ status: string }>("GET", `/api/events/${eventId}`),
    (r) => r.body.status === "open",
  );
  const late = Array.from({ length: 50 }, (_, i) => `late-${i}-${p.prefix}`);
  const stayers = early.filter((u) => !leavers.includes(u));
  const outcomes = await Promise.all([...stayers, ...late].map((u) => p.client.rush(eventId, u)));
  expect(outcomes.filter((o) => o === "issued")).toHaveLength(STOCK);
  // Drained: every issuance in MySQL, and the log with it (the sold-out queue's close included).
  const k = p.keys.event(eventId);
  await waitFor(
    async () =>
      (await countIssuances(database.db, { eventId })) === STOCK &&
      (await p.redis.xlen(k.log)) === 0 &&
      (await countAdmissionLog(database.db, { eventId })) > 0,
    (done) => done,
  );
});
afterAll(async () => {
  await p.close();
  await database.close();
});

async function exportOf(format = "jsonl", id = eventId) {
  return p.client.call<string>("GET", `/admin/api/events/${id}/admissions?format=${format}`, {
    token: TEST_ADMIN_TOKEN,
  });
}

function serialize(ex: AdmissionExport): string {
  const lines = [exportLine("jsonl", ex.event), ...ex.records.map((r) => exportLine("jsonl", r))];
  if (ex.end) lines.push(exportLine("jsonl", ex.end));
  return lines.join("");
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile("node", [CLI, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe("the admission log of a real rush", () => {
  it("is persisted to MySQL and removed from Redis", async () => {
    expect(await p.redis.xlen(p.keys.event(eventId).log)).toBe(0);
    // Entries of 50, 3 leaves, 40 admissions and issues at least, and the sold-out queue closed.
    expect(await countAdmissionLog(database.db, { eventId })).toBeGreaterThanOrEqual(50 + 3 + 80);
  });

  it("exports as JSON lines and CSV, streamed through the router, and passes every check", async () => {
    const jsonl = await exportOf("jsonl");
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers["content-type"]).toMatch(/^application\/x-ndjson/);
    expect(jsonl.headers["content-disposition"]).toContain(`event-${eventId}-admissions.jsonl`);
    const csv = await exportOf("csv");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const fromJson = parseExport(String(jsonl.body));
    const fromCsv = parseExport(String(csv.body));
    expect({ ...fromCsv, event: { ...fromCsv.event, exportedAt: "" } }).toEqual({
      ...fromJson,
      event: { ...fromJson.event, exportedAt: "" },
    });

    expect(fromJson.event).toMatchObject({ eventId, stock: STOCK, issued: STOCK });
    const admits = fromJson.records.filter((r) => r.kind === "admit");
    expect(admits).toHaveLength(STOCK);
    for (const a of admits) expect(a.enteredAt).not.toBeNull();
    const report = verifyFairness(fromJson);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("fails a tampered export: swapped order, a duplicated admission, issued > stock, a changed seed", async () => {
    const ex = parseExport(String((await exportOf()).body));
    const failing = (tampered: AdmissionExport) =>
      verifyFairness(tampered)
        .checks.filter((c) => !c.ok)
        .map((c) => c.name);

    const records = ex.records.map((r) => ({ ...r }));
    const queued = records.filter((r) => r.kind === "admit" && r.mode === "queued");
    const [a, b] = queued as [(typeof records)[0], (typeof records)[0]];
    [a.userId, a.seq, b.userId, b.seq] = [b.userId, b.seq, a.userId, a.seq];
    expect(failing({ ...ex, records })).toContain(CHECK_NAMES.fifo);

    const at = ex.records.indexOf(ex.records.find((r) => r.kind === "admit") as (typeof records)[0]);
    const copy = { ...(ex.records[at] as (typeof records)[0]) };
    const [ms, n] = copy.id.split("-");
    copy.id = `${ms}-${Number(n) + 1_000_000}`;
    const duplicated = [...ex.records.slice(0, at + 1), copy, ...ex.records.slice(at + 1)];
    expect(
      failing({ ...ex, records: duplicated, end: { type: "end", records: duplicated.length } }),
    ).toContain(CHECK_NAMES.once);

    expect(failing({ ...ex, event: { ...ex.event, issued: STOCK + 1 } })).toEqual([CHECK_NAMES.stock]);

    // As if the event had been shuffled with one seed and the export named another.
    const seed = "ab".repeat(32);
    const shuffled = { ...ex.event, prequeue: "shuffle" as const, seedCommitment: seedCommitment(seed) };
    expect(failing({ ...ex, event: { ...shuffled, seed: "cd".repeat(32) } })).toEqual([CHECK_NAMES.prequeue]);
  });

  it("is checked by pnpm verify-fairness from a file or from the admin API, exiting 1 on a tampered export", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rushgate-fairness-"));
    const text = String((await exportOf()).body);
    const good = join(dir, "good.jsonl");
    await writeFile(good, text);
    const passed = await cli([good]);
    expect(passed.out).toContain(`PASS  ${CHECK_NAMES.fifo}`);
    expect(passed.code).toBe(0);

    const csv = join(dir, "good.csv");
    await writeFile(csv, String((await exportOf("csv")).body));
    expect((await cli([csv])).code).toBe(0);

    const ex = parseExport(text);
    const bad = join(dir, "bad.jsonl");
    await writeFile(bad, serialize({ ...ex, event: { ...ex.event, issued: STOCK * 2 } }));
    const failed = await cli([bad]);
    expect(failed.out).toContain(`FAIL  ${CHECK_NAMES.stock}`);
    expect(failed.code).toBe(1);

    const fetched = await cli([String(eventId)], { ROUTER_URL: p.router.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    expect(fetched.out).toContain("all checks passed");
    expect(fetched.code).toBe(0);
    const refused = await cli([String(eventId)], { ROUTER_URL: p.router.url, ADMIN_TOKEN: "wrong" });
    expect(refused.code).toBe(2);
  });

  it("answers bad export requests with a clear 4xx", async () => {
    const path = `/admin/api/events/${eventId}/admissions`;
    expect((await p.client.call("GET", path)).status).toBe(401);
    const badFormat = await p.client.call<{ error: { code: string } }>("GET", `${path}?format=xml`, {
      token: TEST_ADMIN_TOKEN,
    });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.code).toBe("invalid_request");
    const unknown = await p.client.call("GET", "/admin/api/events/999999999999/admissions", {
      token: TEST_ADMIN_TOKEN,
    });
    expect(unknown.status).toBe(404);
  });

  it("writes the CSV header after the event line", async () => {
    const lines = String((await exportOf("csv")).body).split("\n");
    expect(lines[0]).toMatch(/^#event \{/);
    expect(`${lines[1]}\n`).toBe(exportHeader("csv"));
  });
});

describe("the admission log of a rush with a shuffled pre-queue", () => {
  const stock = 30;
  const early = Array.from({ length: 25 }, (_, i) => `pre-${i}`);
  let id: number;

  beforeAll(async () => {
    const startsAt = Date.now() + 2_000;
    id = await p.client.createEvent({
      stock,
      startsAt: new Date(startsAt).toISOString(),
      runningCapacity: 10,
      admitPerTick: 5,
      prequeue: "shuffle",
    });
    const users = early.map((u) => `${u}-${p.prefix}`);
    for (const user of users) expect((await p.client.enter(id, user)).status).toBe(202);
    await waitFor(
      () => p.client.call<{ status: string }>("GET", `/api/events/${id}`),
      (r) => r.body.status === "open",
    );
    const late = Array.from({ length: 20 }, (_, i) => `post-${i}-${p.prefix}`);
    const outcomes = await Promise.all([...users, ...late].map((u) => p.client.rush(id, u)));
    expect(outcomes.filter((o) => o === "issued")).toHaveLength(stock);
    const k = p.keys.event(id);
    await waitFor(
      async () =>
        (await countIssuances(database.db, { eventId: id })) === stock &&
        (await p.redis.xlen(k.log)) === 0 &&
        (await countAdmissionLog(database.db, { eventId: id })) > 0,
      (done) => done,
    );
  });

  it("passes every check, the block admitted in the order recomputed from the revealed seed", async () => {
    const ex = parseExport(String((await exportOf("jsonl", id)).body));
    const seed = ex.event.seed as string;
    expect(ex.event).toMatchObject({ prequeue: "shuffle", seedCommitment: seedCommitment(seed) });
    expect(ex.records.filter((r) => r.kind === "shuffle")).toHaveLength(1);
    const admitted = ex.records.filter((r) => r.kind === "admit").map((r) => r.userId);
    const block = early.map((u) => `${u}-${p.prefix}`);
    expect(admitted.slice(0, block.length)).toEqual(prequeueOrder(seed, block));
    expect(admitted.slice(block.length).every((u) => u.startsWith("post-"))).toBe(true);
    const report = verifyFairness(ex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("fails when two of the block trade places, or the seed is another", async () => {
    const ex = parseExport(String((await exportOf("jsonl", id)).body));
    const failing = (tampered: AdmissionExport) =>
      verifyFairness(tampered)
        .checks.filter((c) => !c.ok)
        .map((c) => c.name);
    const records = ex.records.map((r) => ({ ...r }));
    const [a, b] = records.filter((r) => r.kind === "admit") as [(typeof records)[0], (typeof records)[0]];
    [a.userId, b.userId] = [b.userId, a.userId];
    expect(failing({ ...ex, records })).toContain(CHECK_NAMES.prequeue);
    expect(failing({ ...ex, event: { ...ex.event, seed: "cd".repeat(32) } })).toContain(CHECK_NAMES.prequeue);
  });
});
