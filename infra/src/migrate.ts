/**
 * One-shot migration step for deployments (compose's `migrate` service, the Kubernetes Job):
 * creates the database when missing, applies the drizzle-kit migrations bundled beside this file
 * (infra/dist/drizzle), and exits 0, or 1 with the reason in the log so the orchestrator retries.
 */
import { fileURLToPath } from "node:url";
import { createDb, ensureDatabase, runMigrations } from "@rushgate/db";
import { createLogger } from "@rushgate/logger";

const log = createLogger({ service: "migrate", level: process.env.LOG_LEVEL });
const url = process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/rushgate";

async function main() {
  if (!/^mysql:\/\//.test(url))
    throw new Error("invalid configuration:\n  DATABASE_URL: must be a mysql:// URL");
  const target = new URL(url);
  log.info({ host: target.host, database: target.pathname.slice(1) }, "applying migrations");
  await ensureDatabase(url);
  const database = createDb(url, { connectionLimit: 1 });
  try {
    await runMigrations(database.db, fileURLToPath(new URL("./drizzle", import.meta.url)));
  } finally {
    await database.close();
  }
  log.info("migrations applied");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log.fatal({ err }, "migrations failed");
    process.exit(1);
  },
);
