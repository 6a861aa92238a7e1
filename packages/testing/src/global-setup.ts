import { createDb, ensureDatabase } from "@rushgate/db";
import { prepareDatabase } from "./database";
import { TEST_DATABASE_URL } from "./env";

/**
 * vitest globalSetup: makes the test database from this checkout's migrations. A run that is
 * alone on it (a MySQL named lock held for the whole run tells runs apart) drops it first, so that
 * rows do not pile up across runs (the "open and upcoming" list shows the first 100) and no schema
 * is left behind by another checkout's migrations (drizzle applies only migrations newer than the
 * last one it finds recorded). A run that finds the lock taken leaves the database alone.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await ensureDatabase(TEST_DATABASE_URL);
  const name = decodeURIComponent(new URL(TEST_DATABASE_URL).pathname.slice(1));
  const database = createDb(TEST_DATABASE_URL, { connectionLimit: 1 });
  const conn = await database.pool.getConnection();
  const [rows] = await conn.query("SELECT GET_LOCK(?, 0) AS got", [`rushgate_test_run:${name}`]);
  if ((rows as { got: number }[])[0]?.got === 1) {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  }
  await prepareDatabase();
  return async () => {
    conn.release();
    await database.close();
  };
}
