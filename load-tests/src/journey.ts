import { setTimeout as sleep } from "node:timers/promises";
import { type Answer, createUser, errorCode, pollTarget, type User } from "./http";
import { Samples } from "./stats";

/**
 * One virtual user of the rush scenario, the same journey as load-tests/k6/lib.js: enter; while
 * waiting, poll the status every pollMs; when admitted, issue once (retrying only a transport
 * error or a 5xx, whose outcome is unknown); stop on issued, already_issued or sold_out. Bounded
 * like k6: MAX_FAILURES failed calls in a row, MAX_ISSUE_TRIES issues, or maxWaitSeconds. Each
 * user holds its own keep-alive connection (createUser), as a k6 VU does, says who it is with a
 * signed identity token (./identity) and polls where the entry answer says (pollTarget).
 */
export const ENDPOINTS = ["entry", "status", "issue"] as const;
export type Endpoint = (typeof ENDPOINTS)[number];
export type Outcome = "issued" | "already_issued" | "sold_out" | "gave_up" | "error";

const MAX_FAILURES = 5;
const MAX_ISSUE_TRIES = 3;

/** Everything the driver counts; shared by all VUs (one process, one event loop). */
export class Tally {
  readonly latency: Record<Endpoint, Samples> = {
    entry: new Samples(),
    status: new Samples(),
    issue: new Samples(),
  };
  readonly errors: Record<Endpoint, number> = { entry: 0, status: 0, issue: 0 };
  readonly timeInQueue = new Samples();
  /** userId -> couponId of every 201 the driver saw. */
  readonly coupons = new Map<string, string>();
  readonly outcomes: Record<Outcome, number> = {
    issued: 0,
    already_issued: 0,
    sold_out: 0,
    gave_up: 0,
    error: 0,
  };
  /** The first few unexpected answers, for the report. */
  readonly samples: string[] = [];
  entered = 0;
  waiting = 0;
  queued = 0;
  admitted = 0;
  requests = 0;

  record(endpoint: Endpoint, answer: Answer, expected: boolean): void {
    this.requests += 1;
    this.latency[endpoint].push(answer.ms);
    if (expected) return;
    this.errors[endpoint] += 1;
    if (this.samples.length < 10) {
      const what = answer.error ?? JSON.stringify(answer.body).slice(0, 200);
      this.samples.push(`${endpoint}: ${answer.status} ${what}`);
    }
  }

  get errorCount(): number {
    return this.errors.entry + this.errors.status + this.errors.issue;
  }
}

type QueueAnswer =
  | { kind: "admitted"; token: string }
  | { kind: "waiting" }
  | { kind: "sold_out" }
  | { kind: "not_in_queue" }
  | { kind: "error" };

function queueAnswer(body: Record<string, unknown>): QueueAnswer {
  if (body.status === "admitted" && typeof body.token === "string")
    return { kind: "admitted", token: body.token };
  if (body.status === "waiting") return { kind: "waiting" };
  if (body.status === "sold_out") return { kind: "sold_out" };
  return { kind: "error" };
}

export interface JourneyContext {
  /** The router: every user opens its own connection to it. */
  baseUrl: string;
  tally: Tally;
  eventId: number;
  pollMs: number;
  maxWaitSeconds: number;
}

/** One simulated user: its id and the identity headers it sends (identityHeaders). */
export interface Person {
  userId: string;
  headers: Record<string, string>;
}

interface Walker {
  ctx: JourneyContext;
  http: User;
  userId: string;
  headers: Record<string, string>;
  pollAt: string;
}

async function enter(w: Walker): Promise<QueueAnswer> {
  const { ctx } = w;
  const res = await w.http.call("POST", `/api/events/${ctx.eventId}/entry`, w.headers);
  w.pollAt = pollTarget(res.body, ctx.eventId);
  let answer: QueueAnswer = { kind: "error" };
  if (res.status === 200 || res.status === 202) {
    const said = queueAnswer(res.body);
    const fits =
      (res.status === 200 && said.kind === "admitted") || (res.status === 202 && said.kind === "waiting");
    if (fits) answer = said;
  } else if (res.status === 410 && errorCode(res.body) === "sold_out") {
    answer = { kind: "sold_out" };
  }
  ctx.tally.record("entry", res, answer.kind !== "error");
  return answer;
}

async function status(w: Walker): Promise<QueueAnswer> {
  const { ctx } = w;
  const res = await w.http.call("GET", w.pollAt, w.headers);
  let answer: QueueAnswer = { kind: "error" };
  if (res.status === 200) answer = queueAnswer(res.body);
  else if (res.status === 404 && errorCode(res.body) === "not_in_queue") answer = { kind: "not_in_queue" };
  // A user who keeps polling is never evicted: not_in_queue counts as an error, then re-enters.
  ctx.tally.record("status", res, answer.kind !== "error" && answer.kind !== "not_in_queue");
  return answer;
}

type IssueResult = "issued" | "already_issued" | "sold_out" | "retry" | "error";

async function issue(w: Walker, token: string): Promise<IssueResult> {
  const { ctx, userId } = w;
  const res = await w.http.call("POST", `/api/events/${ctx.eventId}/issue`, {
    ...w.headers,
    authorization: `Bearer ${token}`,
  });
  const code = errorCode(res.body);
  let result: IssueResult = "error";
  if (res.status === 201 && res.body.status === "issued" && typeof res.body.couponId === "string") {
    result = "issued";
    ctx.tally.coupons.set(userId, res.body.couponId);
  } else if (res.status === 409 && code === "already_issued") result = "already_issued";
  else if (res.status === 410 && code === "sold_out") result = "sold_out";
  else if (res.status === 0 || res.status >= 500) result = "retry";
  ctx.tally.record("issue", res, result !== "error" && result !== "retry");
  return result;
}

export async function journey(ctx: JourneyContext, person: Person): Promise<Outcome> {
  const w: Walker = { ctx, http: createUser(ctx.baseUrl), ...person, pollAt: pollTarget({}, ctx.eventId) };
  try {
    const outcome = await walk(w);
    ctx.tally.outcomes[outcome] += 1;
    return outcome;
  } finally {
    await w.http.close();
  }
}

async function walk(w: Walker): Promise<Outcome> {
  const { ctx } = w;
  const { tally } = ctx;
  const started = performance.now();
  const deadline = Date.now() + ctx.maxWaitSeconds * 1000;
  let inQueue = false;
  let everQueued = false;
  let needEntry = true;
  let failures = 0;
  tally.entered += 1;
  const leaveQueue = () => {
    if (inQueue) tally.waiting -= 1;
    inQueue = false;
  };

  while (Date.now() < deadline) {
    const answer = needEntry ? await enter(w) : await status(w);
    if (answer.kind === "error" || answer.kind === "not_in_queue") {
      if (answer.kind === "not_in_queue") needEntry = true;
      failures += 1;
      if (failures >= MAX_FAILURES) {
        leaveQueue();
        return "error";
      }
      await sleep(ctx.pollMs);
      continue;
    }
    failures = 0;
    if (answer.kind === "sold_out") {
      leaveQueue();
      return "sold_out";
    }
    if (answer.kind === "waiting") {
      if (!inQueue) tally.waiting += 1;
      if (!everQueued) tally.queued += 1;
      inQueue = true;
      everQueued = true;
      needEntry = false;
      await sleep(ctx.pollMs);
      continue;
    }

    const queuedFor = everQueued ? performance.now() - started : undefined;
    leaveQueue();
    tally.admitted += 1;
    if (queuedFor !== undefined) tally.timeInQueue.push(queuedFor);
    for (let tries = 1; tries <= MAX_ISSUE_TRIES; tries += 1) {
      const result = await issue(w, answer.token);
      if (result === "retry") {
        await sleep(ctx.pollMs);
        continue;
      }
      return result;
    }
    return "error";
  }
  leaveQueue();
  return "gave_up";
}
