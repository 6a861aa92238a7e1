export * from "./changes";
export { closeRedis, createRedis, type RedisClient, type RedisClientOptions } from "./client";
export { defineCommands } from "./commands";
export { createKeys, type EventKeys, type Keys } from "./keys";
export * from "./operations";
export * from "./prequeue";
export { drainStream, nextStreamId, type StreamRecord } from "./stream-drain";
export * from "./switch-flags";
export * from "./switches";
