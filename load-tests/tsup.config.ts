import { cpSync } from "node:fs";
import { defineConfig } from "tsup";
import { bundle } from "../tsup.shared";

// Dev tools, bundled like the servers.
export default defineConfig({
  ...bundle,
  entry: [
    "src/load.ts",
    "src/bench.ts",
    "src/baseline.ts",
    "src/floor.ts",
    "src/noop-worker.ts",
    "src/hold-worker.ts",
  ],
  // The load driver creates and migrates its own database, so the migrations travel with it.
  onSuccess: async () => {
    cpSync("../packages/db/drizzle", "dist/drizzle", { recursive: true });
  },
});
