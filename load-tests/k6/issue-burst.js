// rushgate — issue burst under the threshold.
//
//   k6 run load-tests/k6/issue-burst.js --env VUS=1000
//
// setup() creates an event with STOCK = VUS coupons (unless STOCK is given), an RPM_THRESHOLD of
// 1,000,000 and a running capacity of at least VUS, so the router admits every entry directly.
// Then VUS users start at once (or spread over ARRIVAL_SECONDS), each enters — expecting
// 200 admitted — and issues once. This measures the direct path: entry at the router, then issue
// at the coupon server. A user who is queued anyway still finishes by polling, but `queued` has a
// threshold of count==0, so the run fails.
//
// Options (all --env, all optional):
//   BASE_URL=http://127.0.0.1:8080  ADMIN_TOKEN=dev-admin-token  VUS=1000  STOCK=<VUS>
//   RPM_THRESHOLD=1000000  ARRIVAL_SECONDS=0  POLL_MS=300  RESPECT_POLL_AFTER=0
//   RUNNING_CAPACITY=max(1000, VUS)  ADMIT_PER_TICK=200  ADMISSION_TTL_SECONDS=300
//   MAX_WAIT_SECONDS=600  DRAIN_SECONDS=30  FLOOR_P95_MS  FLOOR_MAX_MS  P95_MS  MAX_MS  LOG_ERRORS=1
//
// More in load-tests/k6/README.md.
import http from "k6/http";
import {
  arrive,
  commonThresholds,
  createEvent,
  EXPECTED_STATUSES,
  envInt,
  journey,
  loadConfig,
  newRunId,
  reportStats,
  SUMMARY_TREND_STATS,
} from "./lib.js";

const vus = envInt("VUS", 1000, 1);
const cfg = loadConfig({
  vus,
  rpmThreshold: 1000000,
  runningCapacity: Math.max(1000, vus),
  arrivalSeconds: 0,
});

http.setResponseCallback(http.expectedStatuses(...EXPECTED_STATUSES));

/** @type {import("k6/options").Options} */
export const options = {
  scenarios: {
    issue_burst: {
      executor: "per-vu-iterations",
      vus: cfg.vus,
      iterations: 1,
      maxDuration: `${cfg.arrivalSeconds + cfg.maxWaitSeconds + 60}s`,
      gracefulStop: "30s",
    },
  },
  setupTimeout: "60s",
  teardownTimeout: `${cfg.drainSeconds + 60}s`,
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: {
    ...commonThresholds(cfg),
    // Under the threshold nobody should wait, and everybody who can get a coupon gets one.
    queued: ["count==0"],
    issued: [`count>=${Math.min(cfg.vus, cfg.stock)}`, `count<=${cfg.stock}`],
  },
};

/**
 * @typedef {object} SetupData
 * @property {number} eventId
 * @property {string} runId
 */

/** @returns {SetupData} */
export function setup() {
  const runId = newRunId();
  const eventId = createEvent(cfg, `k6 issue-burst ${runId}`);
  return { eventId, runId };
}

/** @param {SetupData} data */
export default function issueBurst(data) {
  arrive(cfg);
  journey({ cfg, eventId: data.eventId, userId: `k6-${__VU}-${data.runId}` });
}

/** @param {SetupData} data */
export function teardown(data) {
  reportStats(cfg, data.eventId, cfg.stock);
}
