// rushgate — the published rush scenario.
//
//   k6 run load-tests/k6/rush.js --env VUS=4500
//
// setup() creates one event through the admin API (STOCK coupons, its own RPM_THRESHOLD set low so
// that most users queue). Then VUS users (one VU each, one iteration each, so one keep-alive
// connection each, as k6 gives every VU its own) all arrive at the same instant (SPEC §8;
// ARRIVAL_SECONDS > 0 spreads them instead); each enters, polls its queue status every POLL_MS
// (where the entry answer's pollUrl says, else the router) while waiting, issues once when
// admitted, and stops on issued / already_issued / sold_out. teardown() logs the event's stats
// and checks that no more than STOCK coupons were issued.
//
// Options (all --env, all optional):
//   BASE_URL=http://127.0.0.1:8080  ADMIN_TOKEN=dev-admin-token  VUS=4500  STOCK=1000
//   RPM_THRESHOLD=600  ARRIVAL_SECONDS=0  POLL_MS=300  RESPECT_POLL_AFTER=0 (1: wait pollAfterMs)
//   RUNNING_CAPACITY=1000  ADMIT_PER_TICK=200  ADMISSION_TTL_SECONDS=300  MAX_WAIT_SECONDS=600
//   DRAIN_SECONDS=30  FLOOR_P95_MS / FLOOR_MAX_MS (this machine's floor, from pnpm bench)
//   P95_MS=1.5 x FLOOR_P95_MS  MAX_MS=2 x FLOOR_MAX_MS  LOG_ERRORS=1 (unexpected answers per VU)
//
// More in load-tests/k6/README.md.
import http from "k6/http";
import {
  arrive,
  commonThresholds,
  createEvent,
  EXPECTED_STATUSES,
  journey,
  loadConfig,
  newRunId,
  reportStats,
  SUMMARY_TREND_STATS,
} from "./lib.js";

const cfg = loadConfig({ vus: 4500, stock: 1000, rpmThreshold: 600, arrivalSeconds: 0 });

// 404 / 409 / 410 are answers the API gives on purpose: not failures for http_req_failed.
http.setResponseCallback(http.expectedStatuses(...EXPECTED_STATUSES));

/** @type {import("k6/options").Options} */
export const options = {
  scenarios: {
    // Every VU is initialised before the test starts, then all run their one iteration at once.
    rush: {
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
    // Seen from the clients: never more coupons than stock.
    issued: [`count<=${cfg.stock}`],
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
  const eventId = createEvent(cfg, `k6 rush ${runId}`);
  return { eventId, runId };
}

/** @param {SetupData} data */
export default function rush(data) {
  arrive(cfg);
  journey({ cfg, eventId: data.eventId, userId: `k6-${__VU}-${data.runId}` });
}

/** @param {SetupData} data */
export function teardown(data) {
  reportStats(cfg, data.eventId, cfg.stock);
}
