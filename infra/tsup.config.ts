import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  // start: `npm start` on one machine; migrate: the one-shot step of compose and Kubernetes.
  entry: ["src/start.ts", "src/migrate.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  noExternal: [/^@rushgate\//],
  // The migrations travel with the bundle, so neither entry needs the sources at run time.
  onSuccess: async () => {
    cpSync("../packages/db/drizzle", "dist/drizzle", { recursive: true });
  },
});
