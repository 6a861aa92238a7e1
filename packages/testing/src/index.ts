export { prepareDatabase, useDatabase } from "./database";
export * from "./env";
export { createRedisEvent } from "./events";
export {
  callDelta,
  commandCalls,
  countRoundTrips,
  freePort,
  type RedisFixture,
  startRedisCluster,
  startScratchRedis,
  sum,
  useRedis,
} from "./redis";
