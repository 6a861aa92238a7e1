export * from "./changes";
export { closeRedis, createRedis, type RedisClient, type RedisClientOptions } from "./client";
export { defineCommands } from "./commands";
export { createKeys, type EventKeys, type Keys } from "./keys";
export * from "./operations";
