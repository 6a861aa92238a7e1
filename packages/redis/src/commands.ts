import type { Callback, Cluster, Redis, Result } from "ioredis";
import admit from "./lua/admit-7.lua";
import applyChanges from "./lua/apply-changes-7.lua";
import cancelChange from "./lua/cancel-change-3.lua";
import endEvent from "./lua/end-6.lua";
import enter from "./lua/enter-10.lua";
import gateSync from "./lua/gate-sync-5.lua";
import clock from "./lua/includes/clock.lua";
import eventState from "./lua/includes/event-state.lua";
import log from "./lua/includes/log.lua";
import prequeue from "./lua/includes/prequeue.lua";
import queueAnswer from "./lua/includes/queue-answer.lua";
import slot from "./lua/includes/slot.lua";
import switches from "./lua/includes/switches.lua";
import waiting from "./lua/includes/waiting.lua";
import issue from "./lua/issue-6.lua";
import lease from "./lua/lease-2.lua";
import leave from "./lua/leave-5.lua";
import release from "./lua/release-1.lua";
import retire from "./lua/retire-n.lua";
import schedule from "./lua/schedule-8.lua";
import shuffle from "./lua/shuffle-4.lua";
import status from "./lua/status-8.lua";
import setSwitch from "./lua/switch-1.lua";
import updateSettings from "./lua/update-settings-1.lua";
import warm from "./lua/warm-2.lua";

type Arg = string | number;
type Reply = (string | number)[];

/** Shared Lua, pulled into a script where it says `--- @include "<name>"` (as BullMQ does). */
const includes: Record<string, string> = {
  clock,
  "event-state": eventState,
  slot,
  "queue-answer": queueAnswer,
  switches,
  log,
  prequeue,
  waiting,
};

export function withIncludes(lua: string): string {
  return lua.replace(/^--- @include "([a-z-]+)"$/gm, (_, name: string) => {
    const body = includes[name];
    if (body === undefined) throw new Error(`unknown Lua include "${name}"`);
    return body.trimEnd();
  });
}

/**
 * The scripts, registered with `defineCommand` under version-suffixed names so that a deploy that
 * changes a script never runs the old body cached by another instance (EVALSHA of the new text).
 */
const scripts = {
  rgGateSyncV4: { lua: gateSync, numberOfKeys: 5 },
  rgAdmitV5: { lua: admit, numberOfKeys: 7 },
  rgEnterV10: { lua: enter, numberOfKeys: 10 },
  rgStatusV8: { lua: status, numberOfKeys: 8 },
  rgLeaveV3: { lua: leave, numberOfKeys: 5 },
  rgScheduleV6: { lua: schedule, numberOfKeys: 8 },
  rgShuffleV2: { lua: shuffle, numberOfKeys: 4 },
  rgIssueV5: { lua: issue, numberOfKeys: 6 },
  rgWarmV1: { lua: warm, numberOfKeys: 2 },
  rgLeaseV1: { lua: lease, numberOfKeys: 2 },
  rgReleaseV1: { lua: release, numberOfKeys: 1 },
  rgSwitchV1: { lua: setSwitch, numberOfKeys: 1 },
  rgEndV2: { lua: endEvent, numberOfKeys: 6 },
  // The number of keys comes first in each call (an event's key count is not fixed here).
  rgRetireV1: { lua: retire, numberOfKeys: undefined },
  rgApplyChangesV2: { lua: applyChanges, numberOfKeys: 7 },
  rgCancelChangeV1: { lua: cancelChange, numberOfKeys: 3 },
  rgUpdateSettingsV1: { lua: updateSettings, numberOfKeys: 1 },
} as const;

export function defineCommands<R extends Redis | Cluster>(redis: R): R {
  for (const [name, { lua, numberOfKeys }] of Object.entries(scripts)) {
    if (!(name in redis))
      redis.defineCommand(name, {
        lua: withIncludes(lua),
        ...(numberOfKeys === undefined ? {} : { numberOfKeys }),
      });
  }
  return redis;
}

/** The keys of enter-10.lua (one user, or many). */
export type EnterKeys = [
  meta: string,
  remaining: string,
  issued: string,
  waiting: string,
  running: string,
  seen: string,
  seq: string,
  sched: string,
  admitted: string,
  log: string,
];

/** The keys of status-8.lua (one user, or many). */
export type StatusKeys = [
  meta: string,
  remaining: string,
  issued: string,
  waiting: string,
  running: string,
  seen: string,
  sched: string,
  admitted: string,
];

/** Each command with its keys named in the order its script's header lists them. */
declare module "ioredis" {
  interface RedisCommander<Context> {
    rgGateSyncV4(
      rpm: string,
      waiting: string,
      running: string,
      meta: string,
      remaining: string,
      delta: Arg,
    ): Result<number[], Context>;
    rgAdmitV5(
      meta: string,
      remaining: string,
      issued: string,
      waiting: string,
      running: string,
      admitted: string,
      log: string,
      userId: string,
    ): Result<Reply, Context>;
    rgEnterV10(...args: [...EnterKeys, ...userIds: string[]]): Result<Reply[], Context>;
    rgStatusV8(...args: [...StatusKeys, ...userIds: string[]]): Result<Reply[], Context>;
    rgLeaveV3(
      waiting: string,
      running: string,
      seen: string,
      admitted: string,
      log: string,
      userId: string,
    ): Result<number, Context>;
    rgScheduleV6(
      meta: string,
      remaining: string,
      waiting: string,
      running: string,
      seen: string,
      sched: string,
      admitted: string,
      log: string,
      fence: Arg,
      done: Arg,
      limit: Arg,
    ): Result<number[], Context>;
    rgShuffleV2(
      meta: string,
      waiting: string,
      sched: string,
      log: string,
      fence: Arg,
      mode: "apply" | "finish",
      ...pairs: Arg[]
    ): Result<number[], Context>;
    rgIssueV5(
      meta: string,
      remaining: string,
      issued: string,
      running: string,
      admitted: string,
      log: string,
      ...userAndCouponIds: string[]
    ): Result<Reply[], Context>;
    rgWarmV1(meta: string, remaining: string, stock: Arg, ...fields: Arg[]): Result<number, Context>;
    rgLeaseV1(
      lease: string,
      fence: string,
      holder: string,
      ttlMs: Arg,
      callback?: Callback<number>,
    ): Result<number, Context>;
    rgReleaseV1(lease: string, holder: string): Result<number, Context>;
    rgSwitchV1(meta: string, field: string, letters: string): Result<number, Context>;
    rgEndV2(
      meta: string,
      waiting: string,
      running: string,
      seen: string,
      admitted: string,
      log: string,
      endsAt: Arg,
    ): Result<Reply, Context>;
    rgRetireV1(numberOfKeys: number, log: string, ...keys: string[]): Result<number, Context>;
    rgApplyChangesV2(
      meta: string,
      due: string,
      changes: string,
      applied: string,
      sched: string,
      flow: string,
      issued: string,
      fence: Arg,
      moved: Arg,
      expired: Arg,
    ): Result<Reply, Context>;
    rgCancelChangeV1(due: string, changes: string, applied: string, id: Arg): Result<number, Context>;
    rgUpdateSettingsV1(meta: string, ...fields: Arg[]): Result<Reply, Context>;
  }
}
