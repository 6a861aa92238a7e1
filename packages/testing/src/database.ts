import { createDb, type Database, ensureDatabase, runMigrations } from "@rushgate/db";
import { TEST_DATABASE_URL } from "./env";

/** Creates the test database and applies the committed migrations (vitest globalSetup). */
export async function prepareDatabase(url = TEST_DATABASE_URL): Promise<void> {
  await ensureDatabase(url);
  const database = createDb(url, { connectionLimit: 1 });
  try {
    await runMigrations(database.db);
  } finally {
    await database.close();
  }
}

export function useDatabase(url = TEST_DATABASE_URL): Database {
  return createDb(url, { connectionLimit: 5 });
}
