import { prepareDatabase } from "./database";

export default async function setup(): Promise<void> {
  await prepareDatabase();
}
