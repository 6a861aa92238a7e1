import type { Callback, Cluster, Redis, Result } from "ioredis";
import admit from "./lua/admit-6.lua";
import enter from "./lua/enter-9.lua";
import gateSync from "./lua/gate-sync-5.lua";
import clock from "./lua/includes/clock.lua";
import eventState from "./lua/includes/event-state.lua";
import queueAnswer from "./lua/includes/queue-answer.lua";
import slot from "./lua/includes/slot.lua";
import issue from "./lua/issue-5.lua";
import lease from "./lua/lease-2.lua";
import leave from "./lua/leave-4.lua";
import release from "./lua/release-1.lua";
import schedule from "./lua/schedule-7.lua";
import status from "./lua/status-8.lua";
import streamStatus from "./lua/stream-status-8.lua";
import warm from "./lua/warm-2.lua";

type Arg = string | number;
type Reply = (string | number)[];

/** Shared Lua, pulled into a script where it says `--- @include "<name>"` (as BullMQ does). */
const includes: Record<string, string> = {
  clock,
  "event-state": eventState,
  slot,
  "queue-answer": queueAnswer,
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
  rgGateSyncV2: { lua: gateSync, numberOfKeys: 5 },
  rgAdmitV3: { lua: admit, numberOfKeys: 6 },
  rgEnterV3: { lua: enter, numberOfKeys: 9 },
  rgStatusV3: { lua: status, numberOfKeys: 8 },
  rgStreamStatusV1: { lua: streamStatus, numberOfKeys: 8 },
  rgLeaveV2: { lua: leave, numberOfKeys: 4 },
  rgScheduleV3: { lua: schedule, numberOfKeys: 7 },
  rgIssueV3: { lua: issue, numberOfKeys: 5 },
  rgWarmV1: { lua: warm, numberOfKeys: 2 },
  rgLeaseV1: { lua: lease, numberOfKeys: 2 },
  rgReleaseV1: { lua: release, numberOfKeys: 1 },
} as const;

export function defineCommands<R extends Redis | Cluster>(redis: R): R {
  for (const [name, { lua, numberOfKeys }] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { lua: withIncludes(lua), numberOfKeys });
  }
  return redis;
}

/** Each command with its keys named in the order its script's header lists them. */
declare module "ioredis" {
  interface RedisCommander<Context> {
    rgGateSyncV2(
      rpm: string,
      waiting: string,
      running: string,
      meta: string,
      remaining: string,
      delta: Arg,
    ): Result<number[], Context>;
    rgAdmitV3(
      meta: string,
      remaining: string,
      issued: string,
      waiting: string,
      running: string,
      admitted: string,
      userId: string,
    ): Result<Reply, Context>;
    rgEnterV3(
      meta: string,
      remaining: string,
      issued: string,
      waiting: string,
      running: string,
      seen: string,
      seq: string,
      sched: string,
      admitted: string,
      userId: string,
    ): Result<Reply, Context>;
    rgStatusV3(
      meta: string,
      remaining: string,
      issued: string,
      waiting: string,
      running: string,
      seen: string,
      sched: string,
      admitted: string,
      userId: string,
    ): Result<Reply, Context>;
    rgStreamStatusV1(
      meta: string,
      remaining: string,
      issued: string,
      waiting: string,
      running: string,
      seen: string,
      sched: string,
      admitted: string,
      ...userIds: string[]
    ): Result<Reply[], Context>;
    rgLeaveV2(
      waiting: string,
      running: string,
      seen: string,
      admitted: string,
      userId: string,
    ): Result<number, Context>;
    rgScheduleV3(
      meta: string,
      remaining: string,
      waiting: string,
      running: string,
      seen: string,
      sched: string,
      admitted: string,
      fence: Arg,
      done: Arg,
      limit: Arg,
    ): Result<number[], Context>;
    rgIssueV3(
      meta: string,
      remaining: string,
      issued: string,
      running: string,
      admitted: string,
      userId: string,
      couponId: string,
    ): Result<Reply, Context>;
    rgWarmV1(meta: string, remaining: string, stock: Arg, ...fields: Arg[]): Result<number, Context>;
    rgLeaseV1(
      lease: string,
      fence: string,
      holder: string,
      ttlMs: Arg,
      callback?: Callback<number>,
    ): Result<number, Context>;
    rgReleaseV1(lease: string, holder: string): Result<number, Context>;
  }
}
