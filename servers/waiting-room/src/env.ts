import { commonEnv, parseEnv, port, positiveInt } from "@rushgate/service";
import { z } from "zod";

const shape = {
  ...commonEnv,
  PORT: port(8081),
  SCHEDULER_TICK_MS: positiveInt(500),
  /** Scheduler lease TTL; a dead leader is replaced within this plus one tick (SPEC: ≤ 2 s). */
  SCHEDULER_LEASE_MS: positiveInt(1500),
  /** "false" runs a waiting room that answers requests but never schedules. */
  SCHEDULER_ENABLED: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
};

export type WaitingRoomEnv = ReturnType<typeof parseWaitingRoomEnv>;

export function parseWaitingRoomEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseEnv(shape, source);
}
