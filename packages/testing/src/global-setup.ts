import { createDb } from "@rushgate/db";
import { prepareDatabase } from "./database";
import { TEST_DATABASE_URL } from "./env";

/**
 * vitest globalSetup: creates and migrates the test database, and empties it when no other test
 * run is using it, so that rows do not pile up across runs (the "open and upcoming" list shows
 * the first 100). A MySQL named lock held for the whole run tells runs apart: a run that finds it
 * taken leaves the data alone.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await prepareDatabase();
  const database = createDb(TEST_DATABASE_URL, { connectionLimit: 1 });
  const conn = await database.pool.getConnection();
  const [rows] = await conn.query("SELECT GET_LOCK('rushgate_test_run', 0) AS got");
  if ((rows as { got: number }[])[0]?.got === 1) {
    await conn.query("DELETE FROM coupon_issuances");
    await conn.query("DELETE FROM coupon_events");
  }
  return async () => {
    conn.release();
    await database.close();
  };
}
