import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

// Dev tools, bundled like the servers: workspace packages in, third-party ones external.
export default defineConfig({
  entry: ["src/load.ts", "src/bench.ts", "src/baseline.ts", "src/noop-worker.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  sourcemap: true,
  noExternal: [/^@rushgate\//],
  loader: { ".lua": "text" },
  // The load driver creates and migrates its own database, so the migrations travel with it.
  onSuccess: async () => {
    cpSync("../packages/db/drizzle", "dist/drizzle", { recursive: true });
  },
});
