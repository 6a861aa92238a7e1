import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/start.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  noExternal: [/^@rushgate\//],
  // The migrations travel with the bundle, so `node infra/dist/start.js` needs no sources.
  onSuccess: async () => {
    cpSync("../packages/db/drizzle", "dist/drizzle", { recursive: true });
  },
});
