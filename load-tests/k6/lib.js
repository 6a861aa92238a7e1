// Shared helpers of the rushgate k6 scripts (rush.js, issue-burst.js): configuration from --env,
// the admin API, one user's journey (enter -> wait in the queue -> issue) and the custom metrics.
// Plain k6 JavaScript: no Node APIs. Type-checked against @types/k6 (see ../tsconfig.json).
import { check, sleep } from "k6";
import http from "k6/http";
import { Counter, Rate, Trend } from "k6/metrics";
import { DEV_IDENTITY_SECRET, IDENTITY_HEADER, identityToken } from "./identity.js";

/**
 * Statuses the API answers on purpose: 202 waiting, 404 not_in_queue, 409 already_issued /
 * event_not_open, 410 sold_out. Only other statuses (and transport errors) count in http_req_failed;
 * whether an expected status was right where it came is judged by `unexpected_errors`.
 */
export const EXPECTED_STATUSES = [200, 201, 202, 404, 409, 410];

// ---------------------------------------------------------------------------------------------
// Metrics (created at import, i.e. in the init context, as k6 requires).
// ---------------------------------------------------------------------------------------------

/** From sending the first entry request to the admitted answer, for users who had to queue (ms). */
export const timeInQueue = new Trend("time_in_queue", true);
/** Users admitted (directly by the router or out of the queue); once per user. */
export const admitted = new Counter("admitted");
/** Users whose entry answered 202 waiting; once per user. */
export const queued = new Counter("queued");
/** Coupons issued (201); once per user. */
export const issued = new Counter("issued");
/** Users turned away with sold_out (at entry, while waiting, or at issue); once per user. */
export const soldOut = new Counter("sold_out");
/** Users told already_issued (only after a retried issue whose first answer was lost). */
export const alreadyIssued = new Counter("already_issued");
/** Users still without an outcome when MAX_WAIT_SECONDS ran out. */
export const gaveUp = new Counter("gave_up");
/** Users whose journey ended on an unexpected answer (see unexpected_errors for the responses). */
export const journeyErrors = new Counter("journey_errors");
/** Per response: true when the answer was not one the journey expects at that point. */
export const unexpectedErrors = new Rate("unexpected_errors");
/** Teardown: 1 sample, true when the server's stats show no overselling (issued <= stock). */
export const stockInvariant = new Rate("stock_invariant");

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/**
 * An integer from `--env NAME=...`, or `fallback` when unset or empty.
 * @param {string} name
 * @param {number} fallback
 * @param {number} [min]
 * @returns {number}
 */
export function envInt(name, fallback, min = 0) {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--env ${name}=${raw}: expected an integer >= ${min}`);
  }
  return value;
}

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envString(name, fallback) {
  const raw = __ENV[name];
  return raw === undefined || raw === "" ? fallback : raw;
}

/**
 * @param {string} name
 * @returns {boolean}
 */
export function envFlag(name) {
  const raw = (__ENV[name] ?? "").toLowerCase();
  return raw === "1" || raw === "true" || raw === "yes";
}

/**
 * @typedef {object} Config
 * @property {string} baseUrl          BASE_URL, without a trailing slash
 * @property {string} adminToken       ADMIN_TOKEN
 * @property {string} identitySecret   IDENTITY_SECRET: the router's, signs each user's identity token
 * @property {number} vus              VUS: users, one iteration each
 * @property {number} stock            STOCK: coupons of the event created in setup()
 * @property {number} rpmThreshold     RPM_THRESHOLD: the event's own threshold
 * @property {number} runningCapacity  RUNNING_CAPACITY
 * @property {number} admitPerTick     ADMIT_PER_TICK
 * @property {number} admissionTtlSeconds ADMISSION_TTL_SECONDS
 * @property {number} arrivalSeconds   ARRIVAL_SECONDS: users arrive evenly spread over this window
 * @property {number} pollMs           POLL_MS: status poll interval
 * @property {boolean} respectPollAfter RESPECT_POLL_AFTER=1: wait the server's pollAfterMs instead
 * @property {number} maxWaitSeconds   MAX_WAIT_SECONDS: a user gives up after this long
 * @property {number} drainSeconds     DRAIN_SECONDS: teardown waits this long for persistence
 * @property {number} floorP95Ms       FLOOR_P95_MS: p(95) of the bare floor's burst on this machine
 * @property {number} floorMaxMs       FLOOR_MAX_MS: maximum of the bare floor's burst on this machine
 * @property {number} p95Ms            P95_MS: p(95) latency threshold per endpoint (1.5 x the floor's)
 * @property {number} maxMs            MAX_MS: maximum latency threshold per endpoint (2 x the floor's)
 * @property {number} logErrors        LOG_ERRORS: unexpected answers logged per VU
 */

/**
 * @typedef {object} Defaults
 * @property {number} vus
 * @property {number} [stock]          defaults to the number of VUs
 * @property {number} rpmThreshold
 * @property {number} [runningCapacity]
 * @property {number} arrivalSeconds
 */

/**
 * The floor: a bare node:http server answering the same entry and status requests with fixed
 * JSON, hit by the same burst (4,500 users at once, one connection each, an entry then 5 polls
 * 300 ms apart), as `pnpm bench -- --only burst` measures it. These defaults are that phase's
 * medians over 9 rounds on the development machine (2 shared cores, docs/PERFORMANCE.md,
 * "Latest figures"); measure your own machine's with `pnpm bench -- --only burst` and pass them
 * as FLOOR_P95_MS and FLOOR_MAX_MS. See README.md.
 */
export const FLOOR = { p95Ms: 413, maxMs: 427 };

/**
 * Reads the options every script takes from `--env`, over the script's own defaults.
 * @param {Defaults} defaults
 * @returns {Config}
 */
export function loadConfig(defaults) {
  const vus = envInt("VUS", defaults.vus, 1);
  const floorP95Ms = envInt("FLOOR_P95_MS", FLOOR.p95Ms, 1);
  const floorMaxMs = envInt("FLOOR_MAX_MS", FLOOR.maxMs, 1);
  return {
    baseUrl: envString("BASE_URL", "http://127.0.0.1:8080").replace(/\/+$/, ""),
    adminToken: envString("ADMIN_TOKEN", "dev-admin-token"),
    identitySecret: envString("IDENTITY_SECRET", DEV_IDENTITY_SECRET),
    vus,
    stock: envInt("STOCK", defaults.stock ?? vus, 1),
    rpmThreshold: envInt("RPM_THRESHOLD", defaults.rpmThreshold, 0),
    runningCapacity: envInt("RUNNING_CAPACITY", defaults.runningCapacity ?? 1000, 1),
    admitPerTick: envInt("ADMIT_PER_TICK", 200, 1),
    admissionTtlSeconds: envInt("ADMISSION_TTL_SECONDS", 300, 10),
    arrivalSeconds: envInt("ARRIVAL_SECONDS", defaults.arrivalSeconds, 0),
    pollMs: envInt("POLL_MS", 300, 1),
    respectPollAfter: envFlag("RESPECT_POLL_AFTER"),
    maxWaitSeconds: envInt("MAX_WAIT_SECONDS", 600, 1),
    drainSeconds: envInt("DRAIN_SECONDS", 30, 0),
    floorP95Ms,
    floorMaxMs,
    p95Ms: envInt("P95_MS", Math.ceil(1.5 * floorP95Ms), 1),
    maxMs: envInt("MAX_MS", Math.ceil(2 * floorMaxMs), 1),
    logErrors: envInt("LOG_ERRORS", 1, 0),
  };
}

/**
 * The thresholds both scripts share.
 * @param {Config} cfg
 * @returns {Record<string, string[]>}
 */
export function commonThresholds(cfg) {
  return {
    http_req_failed: ["rate<0.01"],
    "http_req_duration{name:entry}": [`p(95)<${cfg.p95Ms}`, `max<${cfg.maxMs}`],
    "http_req_duration{name:status}": [`p(95)<${cfg.p95Ms}`, `max<${cfg.maxMs}`],
    "http_req_duration{name:issue}": [`p(95)<${cfg.p95Ms}`, `max<${cfg.maxMs}`],
    unexpected_errors: ["rate<0.01"],
    gave_up: ["count==0"],
    stock_invariant: ["rate==1"],
  };
}

export const SUMMARY_TREND_STATS = ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"];

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

/**
 * The JSON object of a response body, or `{}` when there is none (or it is not an object).
 * @param {import("k6/http").Response} res
 * @returns {Record<string, unknown>}
 */
export function parseBody(res) {
  if (typeof res.body !== "string" || res.body === "") return {};
  try {
    const value = JSON.parse(res.body);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * The `error.code` of an error body (`{"error":{"code","message"}}`), or "".
 * @param {Record<string, unknown>} body
 * @returns {string}
 */
export function errorCode(body) {
  const error = body.error;
  if (error === null || typeof error !== "object") return "";
  const code = /** @type {Record<string, unknown>} */ (error).code;
  return typeof code === "string" ? code : "";
}

/**
 * @param {Config} cfg
 * @returns {Record<string, string>}
 */
export function adminHeaders(cfg) {
  return { Authorization: `Bearer ${cfg.adminToken}`, "Content-Type": "application/json" };
}

/** A short id for this run, to make user ids and event names unique. Call it in setup(). */
export function newRunId() {
  const random = Math.floor(Math.random() * 36 * 36 * 36)
    .toString(36)
    .padStart(3, "0");
  return `${Date.now().toString(36)}${random}`;
}

/**
 * Creates the event of this run through the admin API; throws (aborting the test) on failure.
 * The event opens a minute in the past so that it is open as soon as setup() ends.
 * @param {Config} cfg
 * @param {string} name
 * @returns {number} the event id
 */
export function createEvent(cfg, name) {
  const now = Date.now();
  const openSeconds = cfg.arrivalSeconds + cfg.maxWaitSeconds + 3600;
  const payload = {
    name,
    stock: cfg.stock,
    startsAt: new Date(now - 60 * 1000).toISOString(),
    endsAt: new Date(now + openSeconds * 1000).toISOString(),
    rpmThreshold: cfg.rpmThreshold,
    runningCapacity: cfg.runningCapacity,
    admitPerTick: cfg.admitPerTick,
    admissionTtlSeconds: cfg.admissionTtlSeconds,
  };
  const res = http.post(`${cfg.baseUrl}/admin/api/events`, JSON.stringify(payload), {
    headers: adminHeaders(cfg),
    tags: { name: "admin_create_event" },
  });
  const body = parseBody(res);
  if (res.status !== 201 || typeof body.id !== "number") {
    throw new Error(`POST /admin/api/events answered ${res.status} ${res.error || ""}: ${String(res.body)}`);
  }
  console.log(
    `created event ${body.id} "${name}": stock ${cfg.stock}, rpmThreshold ${cfg.rpmThreshold}, ` +
      `runningCapacity ${cfg.runningCapacity}, admitPerTick ${cfg.admitPerTick}`,
  );
  return body.id;
}

/**
 * @typedef {object} EventStats  GET /admin/api/events/:id/stats
 * @property {number} liveRpm
 * @property {number} rpmThreshold
 * @property {number} waiting
 * @property {number} running
 * @property {number} issued
 * @property {number} remaining
 * @property {number} persisted
 * @property {number} queued
 * @property {number} failed
 */

const STAT_FIELDS = /** @type {const} */ ([
  "liveRpm",
  "rpmThreshold",
  "waiting",
  "running",
  "issued",
  "remaining",
  "persisted",
  "queued",
  "failed",
]);

/**
 * @param {Config} cfg
 * @param {number} eventId
 * @returns {EventStats | null} null when the stats could not be read
 */
export function fetchStats(cfg, eventId) {
  const res = http.get(`${cfg.baseUrl}/admin/api/events/${eventId}/stats`, {
    headers: adminHeaders(cfg),
    tags: { name: "admin_stats" },
  });
  const body = parseBody(res);
  if (res.status !== 200) {
    console.error(`GET /admin/api/events/${eventId}/stats answered ${res.status}: ${String(res.body)}`);
    return null;
  }
  /** @type {EventStats} */
  const stats = {
    liveRpm: 0,
    rpmThreshold: 0,
    waiting: 0,
    running: 0,
    issued: 0,
    remaining: 0,
    persisted: 0,
    queued: 0,
    failed: 0,
  };
  for (const field of STAT_FIELDS) {
    const value = body[field];
    if (typeof value !== "number") {
      console.error(`stats without a numeric "${field}": ${String(res.body)}`);
      return null;
    }
    stats[field] = value;
  }
  return stats;
}

/**
 * teardown(): waits up to DRAIN_SECONDS for the issuer to persist what was issued, logs the
 * event's stats and checks the stock invariant (recorded in `stock_invariant`, which has a
 * threshold of rate==1, so an oversold or unreadable event fails the run).
 * @param {Config} cfg
 * @param {number} eventId
 * @param {number} stock
 * @returns {EventStats | null}
 */
export function reportStats(cfg, eventId, stock) {
  const deadline = Date.now() + cfg.drainSeconds * 1000;
  let stats = fetchStats(cfg, eventId);
  while (stats && stats.queued > 0 && Date.now() < deadline) {
    sleep(1);
    stats = fetchStats(cfg, eventId);
  }
  if (!stats) {
    stockInvariant.add(false);
    console.error(`event ${eventId}: stats unavailable, the stock invariant could not be checked`);
    return null;
  }
  console.log(`event ${eventId} stats (stock ${stock}): ${JSON.stringify(stats)}`);
  const s = stats;
  const ok = check(s, {
    "stats: issued <= stock": (v) => v.issued <= stock,
    "stats: issued + remaining == stock": (v) => v.issued + v.remaining === stock,
    "stats: every issued coupon persisted": (v) => v.persisted === v.issued,
    "stats: no failed issuance jobs": (v) => v.failed === 0,
  });
  stockInvariant.add(s.issued <= stock);
  if (s.issued > stock) console.error(`OVERSOLD: event ${eventId} issued ${s.issued} of a stock of ${stock}`);
  else if (!ok) console.warn(`event ${eventId}: some stats checks failed, see the checks in the summary`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// One user's journey
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} User
 * @property {Config} cfg
 * @property {number} eventId
 * @property {string} userId
 * @property {string} [identity] its identity token, minted on its first request (userHeaders)
 * @property {string} [pollUrl] where to poll: the entry answer's pollUrl (absolute or a path on
 *   BASE_URL), else the router's /api/queue/:id/status
 */

/**
 * What the entry or status endpoint said, reduced to what the journey does next.
 * @typedef {{ kind: "admitted", token: string }
 *   | { kind: "waiting", pollAfterMs: number }
 *   | { kind: "sold_out" }
 *   | { kind: "not_in_queue" }
 *   | { kind: "error" }} QueueAnswer
 */

/** @typedef {"issued" | "already_issued" | "sold_out" | "gave_up" | "error"} Outcome */

let logged = 0;

/**
 * Records one response in `unexpected_errors` and logs the first LOG_ERRORS unexpected ones of
 * this VU.
 * @param {User} user
 * @param {string} endpoint
 * @param {import("k6/http").Response} res
 * @param {boolean} expected
 */
function record(user, endpoint, res, expected) {
  unexpectedErrors.add(!expected, { name: endpoint });
  if (expected || logged >= user.cfg.logErrors) return;
  logged += 1;
  const body = typeof res.body === "string" ? res.body.slice(0, 300) : "";
  console.warn(`${user.userId} ${endpoint}: unexpected ${res.status} ${res.error || ""} ${body}`);
}

/**
 * Who the user is, as a signed-in user's browser says it: an identity token signed with the
 * router's IDENTITY_SECRET, valid for longer than the user can wait. Minted once per user.
 * @param {User} user
 * @returns {Record<string, string>}
 */
function userHeaders(user) {
  if (user.identity === undefined) {
    const expiresAt = Date.now() + (user.cfg.maxWaitSeconds + 3600) * 1000;
    user.identity = identityToken(user.cfg.identitySecret, user.userId, expiresAt);
  }
  return { [IDENTITY_HEADER]: user.identity };
}

/**
 * @param {Record<string, unknown>} body
 * @returns {QueueAnswer}
 */
function queueAnswer(body) {
  if (body.status === "admitted" && typeof body.token === "string") {
    return { kind: "admitted", token: body.token };
  }
  if (body.status === "waiting") {
    return { kind: "waiting", pollAfterMs: typeof body.pollAfterMs === "number" ? body.pollAfterMs : 0 };
  }
  if (body.status === "sold_out") return { kind: "sold_out" };
  return { kind: "error" };
}

/**
 * POST /api/events/:id/entry: 200 admitted, 202 waiting or 410 sold_out.
 * @param {User} user
 * @returns {QueueAnswer}
 */
export function enter(user) {
  const res = http.post(`${user.cfg.baseUrl}/api/events/${user.eventId}/entry`, null, {
    headers: userHeaders(user),
    tags: { name: "entry" },
  });
  const body = parseBody(res);
  if (typeof body.pollUrl === "string" && body.pollUrl !== "") user.pollUrl = body.pollUrl;
  /** @type {QueueAnswer} */
  let answer = { kind: "error" };
  if (res.status === 200 || res.status === 202) {
    const said = queueAnswer(body);
    if ((res.status === 200 && said.kind === "admitted") || (res.status === 202 && said.kind === "waiting")) {
      answer = said;
    }
  } else if (res.status === 410 && errorCode(body) === "sold_out") {
    answer = { kind: "sold_out" };
  }
  const ok = answer.kind !== "error";
  check(res, { "entry: admitted, waiting or sold_out": () => ok }, { name: "entry" });
  record(user, "entry", res, ok);
  return answer;
}

/**
 * The status URL of a user: the pollUrl its entry answer gave (a poll is answered by the first
 * process that receives it, SPEC §4), else the router's.
 * @param {User} user
 * @returns {string}
 */
export function pollUrl(user) {
  const given = user.pollUrl;
  if (given === undefined) return `${user.cfg.baseUrl}/api/queue/${user.eventId}/status`;
  return /^https?:\/\//.test(given)
    ? given
    : `${user.cfg.baseUrl}${given.startsWith("/") ? "" : "/"}${given}`;
}

/**
 * GET /api/queue/:id/status: 200 waiting | admitted | sold_out, or 404 not_in_queue.
 * A 404 is recorded as unexpected (a user who keeps polling is never evicted) and re-entered.
 * @param {User} user
 * @returns {QueueAnswer}
 */
export function queueStatus(user) {
  const res = http.get(pollUrl(user), {
    headers: userHeaders(user),
    tags: { name: "status" },
  });
  const body = parseBody(res);
  /** @type {QueueAnswer} */
  let answer = { kind: "error" };
  if (res.status === 200) answer = queueAnswer(body);
  else if (res.status === 404 && errorCode(body) === "not_in_queue") answer = { kind: "not_in_queue" };
  const ok = answer.kind !== "error" && answer.kind !== "not_in_queue";
  check(res, { "status: waiting, admitted or sold_out": () => ok }, { name: "status" });
  record(user, "status", res, ok);
  return answer;
}

/**
 * POST /api/events/:id/issue with the admission token: 201 issued, 409 already_issued or
 * 410 sold_out; "retry" for a transport error or a 5xx, "error" for anything else.
 * @param {User} user
 * @param {string} token
 * @returns {"issued" | "already_issued" | "sold_out" | "retry" | "error"}
 */
export function issue(user, token) {
  const res = http.post(`${user.cfg.baseUrl}/api/events/${user.eventId}/issue`, null, {
    headers: { ...userHeaders(user), Authorization: `Bearer ${token}` },
    tags: { name: "issue" },
  });
  const body = parseBody(res);
  const code = errorCode(body);
  /** @type {"issued" | "already_issued" | "sold_out" | "retry" | "error"} */
  let result = "error";
  if (res.status === 201 && body.status === "issued" && typeof body.couponId === "string") result = "issued";
  else if (res.status === 409 && code === "already_issued") result = "already_issued";
  else if (res.status === 410 && code === "sold_out") result = "sold_out";
  else if (res.status === 0 || res.status >= 500) result = "retry";
  const ok = result !== "error" && result !== "retry";
  check(res, { "issue: issued, already_issued or sold_out": () => ok }, { name: "issue" });
  record(user, "issue", res, ok);
  return result;
}

/**
 * Sleeps this VU until its arrival time: VU n of N arrives (n-1)/N of ARRIVAL_SECONDS in. With
 * ARRIVAL_SECONDS=0 (the published test) every VU's first request leaves at once.
 * @param {Config} cfg
 */
export function arrive(cfg) {
  if (cfg.arrivalSeconds <= 0) return;
  sleep(((__VU - 1) * cfg.arrivalSeconds) / cfg.vus);
}

/**
 * @param {User} user
 * @param {string} why
 * @returns {Outcome}
 */
function failed(user, why) {
  journeyErrors.add(1);
  if (user.cfg.logErrors > 0) console.warn(`${user.userId}: journey failed: ${why}`);
  return "error";
}

const MAX_FAILURES = 5;
const MAX_ISSUE_TRIES = 3;

/**
 * One user: enter; while waiting, poll the status every POLL_MS (or the server's pollAfterMs with
 * RESPECT_POLL_AFTER=1); when admitted, issue once; stop on issued, already_issued or sold_out.
 * Bounded: it gives up after MAX_WAIT_SECONDS, after MAX_FAILURES consecutive failed calls, or
 * after MAX_ISSUE_TRIES issue attempts.
 * @param {User} user
 * @returns {Outcome}
 */
export function journey(user) {
  const { cfg } = user;
  const started = Date.now();
  const deadline = started + cfg.maxWaitSeconds * 1000;
  let inQueue = false;
  let needEntry = true;
  let failures = 0;

  while (Date.now() < deadline) {
    const answer = needEntry ? enter(user) : queueStatus(user);

    if (answer.kind === "error" || answer.kind === "not_in_queue") {
      if (answer.kind === "not_in_queue") needEntry = true;
      failures += 1;
      if (failures >= MAX_FAILURES) return failed(user, "too many failed calls in a row");
      sleep(cfg.pollMs / 1000);
      continue;
    }
    failures = 0;

    if (answer.kind === "sold_out") {
      soldOut.add(1);
      return "sold_out";
    }

    if (answer.kind === "waiting") {
      if (!inQueue) queued.add(1);
      inQueue = true;
      needEntry = false;
      const waitMs = cfg.respectPollAfter && answer.pollAfterMs > 0 ? answer.pollAfterMs : cfg.pollMs;
      sleep(waitMs / 1000);
      continue;
    }

    // Admitted: issue once (retrying only a transport error or a 5xx, whose outcome is unknown).
    admitted.add(1);
    if (inQueue) timeInQueue.add(Date.now() - started);
    for (let tries = 1; tries <= MAX_ISSUE_TRIES; tries += 1) {
      const result = issue(user, answer.token);
      if (result === "issued") {
        issued.add(1);
        return "issued";
      }
      if (result === "already_issued") {
        alreadyIssued.add(1);
        return "already_issued";
      }
      if (result === "sold_out") {
        soldOut.add(1);
        return "sold_out";
      }
      if (result === "error") return failed(user, "the issue request was refused");
      sleep(cfg.pollMs / 1000);
    }
    return failed(user, `no answer to ${MAX_ISSUE_TRIES} issue requests`);
  }

  gaveUp.add(1);
  console.warn(`${user.userId}: no outcome after ${cfg.maxWaitSeconds}s, giving up`);
  return "gave_up";
}
