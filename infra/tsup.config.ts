import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  // start: `npm start` on one machine; migrate: the one-shot step of compose and Kubernetes;
  // verify-fairness: `pnpm verify-fairness`.
  entry: ["src/start.ts", "src/migrate.ts", "src/verify-fairness.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  // zod comes with @rushgate/api, which the verifier needs.
  noExternal: [/^@rushgate\//, "zod"],
  // The migrations travel with the bundle, so neither entry needs the sources at run time.
  onSuccess: async () => {
    cpSync("../packages/db/drizzle", "dist/drizzle", { recursive: true });
  },
});
