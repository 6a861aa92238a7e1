import type { AdmissionExport, LogRecord } from "./admission-export";
import { prequeueOrder, seedCommitment } from "./fairness";

/**
 * Checks an event's admission log export (admission-export.ts) from the export alone: pure, so
 * that anyone holding an export can run it (`pnpm verify-fairness`).
 *
 * The log is replayed in order, keeping who waits (their entry, in entry order) and who holds an
 * admission. The rules:
 * - (a) FIFO: a queued admission is of the earliest entry still waiting (one that has not left,
 *   been evicted or been dropped when the queue closed); a direct admission happens only while
 *   nobody waits; nobody is admitted before the start.
 * - (b) pre-queue, when the event says shuffle: sha256(seed) is the commitment, and the pre-start
 *   block (everyone who entered before the start and still waited when the shuffle ran: at a
 *   `shuffle` record, else at the first admission) is admitted in prequeueOrder(seed, block) order among those who stayed, before
 *   anyone who arrived later. Block admissions are matched to their entry by user, not by
 *   sequence, since a shuffle may re-score the queue.
 * - (c) nobody admitted twice for one entry. A queued admission consumes its entry (the entry
 *   sequence is never admitted again) and a direct admission is an entry of its own. A user may
 *   be admitted again (a legitimate re-admission) only after the earlier admission has ended in
 *   the log (expired or left) and through a new entry; never while holding an admission, never
 *   after issuing. Every issue is made while holding an admission, once per user.
 * - (d) issued <= stock: coupon_issuances' count and the log's issue records.
 */
export interface FairnessCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface FairnessReport {
  ok: boolean;
  checks: FairnessCheck[];
}

export const CHECK_NAMES = {
  complete: "export is complete and in log order",
  fifo: "(a) FIFO: among users who stayed, admission order equals entry order",
  prequeue: "(b) pre-queue: sha256(seed) equals the commitment and the block is in the seed's order",
  once: "(c) nobody admitted twice for one entry",
  stock: "(d) issued <= stock",
} as const;

const EXAMPLES = 5;

class Findings {
  readonly examples: string[] = [];
  count = 0;
  add(message: string): void {
    this.count += 1;
    if (this.examples.length < EXAMPLES) this.examples.push(message);
  }
  check(name: string, okDetail: string): FairnessCheck {
    if (this.count === 0) return { name, ok: true, detail: okDetail };
    const more = this.count > this.examples.length ? `; ${this.count - this.examples.length} more` : "";
    return { name, ok: false, detail: `${this.examples.join("; ")}${more}` };
  }
}

function streamId(id: string): [number, number] {
  const [ms, n] = id.split("-");
  return [Number(ms), Number(n)];
}

export function verifyFairness(ex: AdmissionExport): FairnessReport {
  const { event, records } = ex;
  const f = {
    complete: new Findings(),
    fifo: new Findings(),
    prequeue: new Findings(),
    once: new Findings(),
    stock: new Findings(),
  };
  checkComplete(ex, f.complete);
  const shuffle = event.prequeue === "shuffle";
  const seed = shuffle ? checkSeed(ex, f.prequeue) : undefined;
  const replay = replayLog(records, { startsAt: Date.parse(event.startsAt), shuffle, seed }, f);

  if (event.issued > event.stock) f.stock.add(`${event.issued} coupons issued for a stock of ${event.stock}`);
  if (replay.issues > event.stock)
    f.stock.add(`the log has ${replay.issues} issues for a stock of ${event.stock}`);

  const checks = [
    f.complete.check(CHECK_NAMES.complete, `${records.length} records`),
    f.fifo.check(CHECK_NAMES.fifo, `${replay.queued} queued and ${replay.direct} direct admissions`),
    f.prequeue.check(
      CHECK_NAMES.prequeue,
      shuffle
        ? `${replay.block} users in the pre-start block, in the seed's order`
        : "not a shuffled event (fifo)",
    ),
    f.once.check(CHECK_NAMES.once, `${replay.queued + replay.direct} admissions, ${replay.issues} issues`),
    f.stock.check(CHECK_NAMES.stock, `${event.issued} issued, stock ${event.stock}`),
  ];
  return { ok: checks.every((c) => c.ok), checks };
}

function checkComplete(ex: AdmissionExport, out: Findings): void {
  if (!ex.end) out.add("no end line: the export was cut off");
  else if (ex.end.records !== ex.records.length)
    out.add(`the end line counts ${ex.end.records} records, the export has ${ex.records.length}`);
  let last: [number, number] = [-1, -1];
  for (const r of ex.records) {
    const id = streamId(r.id);
    if (id[0] < last[0] || (id[0] === last[0] && id[1] <= last[1]))
      out.add(`record ${r.id} is out of log order`);
    last = id;
  }
}

/** The seed when it is revealed and matches the commitment. */
function checkSeed(ex: AdmissionExport, out: Findings): string | undefined {
  const { seed, seedCommitment: commitment } = ex.event;
  if (!commitment) out.add("the event has no seed commitment");
  else if (!seed) out.add("the seed is not revealed");
  else if (!/^([0-9a-f]{2})+$/i.test(seed)) out.add("the seed is not hex");
  else if (seedCommitment(seed) !== commitment.toLowerCase())
    out.add("sha256(seed) does not equal the commitment");
  else return seed;
  return undefined;
}

interface ReplayOptions {
  startsAt: number;
  shuffle: boolean;
  seed: string | undefined;
}

interface ReplayCounts {
  queued: number;
  direct: number;
  issues: number;
  block: number;
}

function replayLog(
  records: LogRecord[],
  opts: ReplayOptions,
  f: Record<"fifo" | "prequeue" | "once", Findings>,
): ReplayCounts {
  const counts: ReplayCounts = { queued: 0, direct: 0, issues: 0, block: 0 };
  // Waiting entries in entry order (a Map keeps insertion order): user -> entry sequence.
  const waiting = new Map<string, number | null>();
  const holding = new Set<string>();
  const issued = new Set<string>();
  const admittedSeqs = new Set<number>();
  // The shuffled block: its order (the seed's, or the log's when the seed cannot be trusted) and
  // who of it still waits.
  let block: string[] | undefined;
  const inBlock = new Set<string>();
  let blockHead = 0;

  // When each waiting user entered: the block is those who entered before the start (whoever
  // entered between the start and the shuffle queues behind it, first come first served).
  const enteredAt = new Map<string, number>();
  const shuffled = () => {
    const users = [...waiting.keys()].filter((u) => (enteredAt.get(u) ?? 0) < opts.startsAt);
    block = opts.seed ? prequeueOrder(opts.seed, users) : users;
    for (const b of users) inBlock.add(b);
    counts.block = users.length;
  };

  const admit = (r: LogRecord) => {
    const u = r.userId;
    if (Date.parse(r.at) < opts.startsAt) f.fifo.add(`${u} admitted before the start (${r.id})`);
    if (issued.has(u)) f.once.add(`${u} admitted after getting a coupon (${r.id})`);
    if (holding.has(u)) f.once.add(`${u} admitted again while holding an admission (${r.id})`);
    if (opts.shuffle && !block) shuffled();
    holding.add(u);
    if (r.mode === "direct") {
      counts.direct += 1;
      if (waiting.size > 0) f.fifo.add(`${u} admitted directly while ${waiting.size} waited (${r.id})`);
      return;
    }
    counts.queued += 1;
    if (!waiting.has(u)) {
      f.once.add(`${u} admitted from the queue without a waiting entry (${r.id})`);
      return;
    }
    const seq = waiting.get(u) ?? null;
    if (!inBlock.has(u) && r.seq !== null) {
      if (admittedSeqs.has(r.seq)) f.once.add(`entry ${r.seq} admitted twice (${r.id})`);
      if (seq !== r.seq) f.once.add(`${u}'s admission names entry ${r.seq}, not ${seq} (${r.id})`);
    }
    if (seq !== null) admittedSeqs.add(seq);
    if (block && inBlock.size > 0) {
      while (blockHead < block.length && !inBlock.has(block[blockHead] as string)) blockHead += 1;
      const head = block[blockHead];
      if (!inBlock.has(u))
        f.prequeue.add(`${u} arrived after the start but was admitted before the block (${r.id})`);
      else if (opts.seed && head !== u) f.prequeue.add(`${u} admitted where the seed puts ${head} (${r.id})`);
    } else {
      const head = waiting.keys().next().value;
      if (head !== u)
        f.fifo.add(
          `${u} (entry ${seq}) admitted while ${head} (entry ${waiting.get(head as string)}) waited (${r.id})`,
        );
    }
    waiting.delete(u);
    inBlock.delete(u);
  };

  for (const r of records) {
    const u = r.userId;
    switch (r.kind) {
      case "entry":
        if (waiting.has(u)) f.once.add(`${u} entered again while waiting (${r.id})`);
        waiting.delete(u);
        waiting.set(u, r.seq);
        enteredAt.set(u, Date.parse(r.at));
        break;
      case "admit":
        admit(r);
        break;
      case "leave":
        waiting.delete(u);
        inBlock.delete(u);
        holding.delete(u);
        break;
      case "evict":
        waiting.delete(u);
        inBlock.delete(u);
        break;
      case "expire":
        holding.delete(u);
        break;
      case "issue":
        counts.issues += 1;
        if (!holding.has(u)) f.once.add(`${u} issued without holding an admission (${r.id})`);
        if (issued.has(u)) f.once.add(`${u} issued twice (${r.id})`);
        issued.add(u);
        holding.delete(u);
        break;
      case "shuffle":
        if (opts.shuffle && !block) shuffled();
        break;
      case "close":
        waiting.clear();
        inBlock.clear();
        break;
    }
  }
  return counts;
}
