import { describe, expect, it } from "vitest";
import {
  type AdmissionExport,
  type ExportEvent,
  exportHeader,
  exportLine,
  type LogKind,
  type LogRecord,
  parseExport,
} from "./admission-export";
import { prequeueOrder, seedCommitment } from "./fairness";
import { CHECK_NAMES, verifyFairness } from "./verify-fairness";

const START = Date.parse("2026-12-01T12:00:00.000Z");
const SEED = "11".repeat(32);

/** Builds an export record by record; times are ms after the start (negative: before it). */
function log(event: Partial<ExportEvent> = {}) {
  const records: LogRecord[] = [];
  let seq = 0;
  const add = (kind: LogKind, userId: string, t: number, extra: Partial<LogRecord> = {}) => {
    records.push({
      type: "record",
      id: `${START + t}-${records.length}`,
      kind,
      userId,
      seq: null,
      at: new Date(START + t).toISOString(),
      enteredAt: null,
      mode: null,
      ...extra,
    });
  };
  const b = {
    enter(user: string, t = -1000) {
      seq += 1;
      add("entry", user, t, { seq });
      return b;
    },
    admit(user: string, t = 0, entrySeq?: number) {
      const s = entrySeq ?? [...records].reverse().find((r) => r.kind === "entry" && r.userId === user)?.seq;
      add("admit", user, t, { seq: s ?? null, mode: "queued" });
      return b;
    },
    direct(user: string, t = 0) {
      add("admit", user, t, { mode: "direct", enteredAt: new Date(START + t).toISOString() });
      return b;
    },
    ev(kind: LogKind, user: string, t = 0) {
      add(kind, user, t);
      return b;
    },
    build(): AdmissionExport {
      return {
        event: {
          type: "event",
          eventId: 1,
          name: "drop",
          stock: 10,
          startsAt: new Date(START).toISOString(),
          endsAt: new Date(START + 3600_000).toISOString(),
          issued: records.filter((r) => r.kind === "issue").length,
          exportedAt: new Date(START + 7200_000).toISOString(),
          ...event,
        },
        records,
        end: { type: "end", records: records.length },
      };
    },
  };
  return b;
}

function failed(ex: AdmissionExport): string[] {
  return verifyFairness(ex)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);
}

describe("verifyFairness", () => {
  it("passes a FIFO rush where some waiters left or were evicted", () => {
    const ex = log()
      .enter("a")
      .enter("b")
      .enter("c")
      .enter("d")
      .ev("leave", "b", -10)
      .admit("a")
      .ev("evict", "c", 5)
      .admit("d", 10)
      .ev("issue", "a", 20)
      .ev("issue", "d", 30)
      .direct("e", 40)
      .ev("expire", "e", 90)
      .build();
    const report = verifyFairness(ex);
    expect(report.checks.map((c) => c.ok)).toEqual([true, true, true, true, true]);
    expect(report.ok).toBe(true);
  });

  it("fails FIFO when two admissions are swapped", () => {
    const ex = log().enter("a").enter("b").admit("b").admit("a").build();
    expect(failed(ex)).toEqual([CHECK_NAMES.fifo]);
  });

  it("fails FIFO on a direct admission while someone waits, or an admission before the start", () => {
    expect(failed(log().enter("a").direct("b").admit("a").build())).toEqual([CHECK_NAMES.fifo]);
    expect(failed(log().enter("a").admit("a", -5).build())).toEqual([CHECK_NAMES.fifo]);
  });

  it("fails on a duplicated admission", () => {
    const ex = log().enter("a").enter("b").admit("a").admit("a", 1, 1).admit("b", 2).build();
    expect(failed(ex)).toContain(CHECK_NAMES.once);
  });

  it("accepts a re-admission after the first one expired and a new entry, but not while holding one", () => {
    const again = log().enter("a").admit("a").ev("expire", "a", 30).enter("a", 31).admit("a", 32).build();
    expect(verifyFairness(again).ok).toBe(true);
    const holding = log().enter("a").admit("a").enter("a", 31).admit("a", 32).build();
    expect(failed(holding)).toEqual([CHECK_NAMES.once]);
    const afterIssue = log().direct("a").ev("issue", "a", 1).direct("a", 2).build();
    expect(failed(afterIssue)).toEqual([CHECK_NAMES.once]);
  });

  it("fails when more were issued than the stock", () => {
    const ex = log({ stock: 1 }).enter("a").enter("b").admit("a").admit("b").build();
    expect(verifyFairness(ex).ok).toBe(true);
    expect(failed({ ...ex, event: { ...ex.event, issued: 2 } })).toEqual([CHECK_NAMES.stock]);
  });

  it("fails an export that was cut off or reordered", () => {
    const ex = log().enter("a").admit("a").build();
    expect(failed({ ...ex, end: undefined })).toEqual([CHECK_NAMES.complete]);
    expect(failed({ ...ex, records: [...ex.records].reverse() })).toContain(CHECK_NAMES.complete);
  });

  describe("shuffled pre-queue", () => {
    const users = ["u1", "u2", "u3", "u4", "u5", "u6"];
    const shuffled = prequeueOrder(SEED, users);
    const fair = () => {
      const b = log({ prequeue: "shuffle", seed: SEED, seedCommitment: seedCommitment(SEED) });
      for (const u of users) b.enter(u);
      // The block is whoever waits when the shuffle runs, at the first admission.
      shuffled.forEach((u, i) => {
        b.admit(u, 2 + i);
        if (i === 0) b.enter("late", 2);
      });
      return b.admit("late", 20).build();
    };

    it("passes when the block is admitted in the seed's order, then later arrivals", () => {
      const report = verifyFairness(fair());
      expect(report.ok).toBe(true);
      expect(report.checks[2]?.detail).toContain("6 users");
    });

    it("fails on a changed seed, whether or not the commitment was changed with it", () => {
      const other = "22".repeat(32);
      const ex = fair();
      expect(failed({ ...ex, event: { ...ex.event, seed: other } })).toEqual([CHECK_NAMES.prequeue]);
      const recommitted = { ...ex.event, seed: other, seedCommitment: seedCommitment(other) };
      expect(failed({ ...ex, event: recommitted })).toEqual([CHECK_NAMES.prequeue]);
    });

    it("takes the block at a shuffle record when the log has one, matching its admissions by user", () => {
      const b = log({ prequeue: "shuffle", seed: SEED, seedCommitment: seedCommitment(SEED) });
      const [first, second] = prequeueOrder(SEED, ["a", "b"]) as [string, string];
      // The shuffle re-scored the queue: the admissions name the shuffled places, not the entries.
      b.enter("a").enter("b").ev("shuffle", "", 0).enter("late", 1);
      b.admit(first, 2, 1).admit(second, 3, 2).admit("late", 4);
      expect(verifyFairness(b.build()).ok).toBe(true);
    });

    it("fails when a later arrival goes before the block", () => {
      const b = log({ prequeue: "shuffle", seed: SEED, seedCommitment: seedCommitment(SEED) });
      const [first, second] = prequeueOrder(SEED, ["a", "b"]) as [string, string];
      b.enter("a").enter("b").admit(first, 1).enter("late", 2).admit("late", 3).admit(second, 4);
      expect(failed(b.build())).toEqual([CHECK_NAMES.prequeue]);
    });
  });
});

describe("the export format", () => {
  it("reads back what it writes, in JSON lines and in CSV", () => {
    const ex = log().enter("a").admit("a").direct("b", 1).ev("close", "", 2).build();
    for (const format of ["jsonl", "csv"] as const) {
      const text =
        exportLine(format, ex.event) +
        exportHeader(format) +
        ex.records.map((r) => exportLine(format, r)).join("") +
        exportLine(format, ex.end as NonNullable<typeof ex.end>);
      expect(parseExport(text)).toEqual(ex);
    }
  });

  it("names the line of a malformed record", () => {
    const ex = log().enter("a").build();
    const text = `${exportLine("jsonl", ex.event)}{"type":"record","kind":"teleport"}\n`;
    expect(() => parseExport(text)).toThrow(/^line 2: /);
  });
});
