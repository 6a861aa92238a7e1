export { createDb, type Database, type Db, ensureDatabase } from "./client";
export { migrationsFolder, runMigrations } from "./migrate";
export * from "./queries/admin-audit";
export * from "./queries/admin-tokens";
export * from "./queries/admission-log";
export * from "./queries/changes";
export * from "./queries/events";
export * from "./queries/issuances";
export * from "./schema";
