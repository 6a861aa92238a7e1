export { type AdminTokenStore, adminTokenStore, type TokenLookup } from "./admin-tokens";
export { closeRedis, createRedis, type RedisClient, type RedisClientOptions } from "./client";
export { defineCommands } from "./commands";
export { createKeys, type EventKeys, type Keys } from "./keys";
export * from "./operations";
