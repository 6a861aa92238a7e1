import { randomBytes } from "node:crypto";

/** Where the tests find the real services; override with the same variables the servers read. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/rushgate_test";
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";
export const TEST_ADMISSION_SECRET = "test-admission-secret-0123456789";

/** A Redis key prefix no other test uses, so tests never see each other's keys. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString("hex")}`;
}
