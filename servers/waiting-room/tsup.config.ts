import { defineConfig } from "tsup";

// Workspace packages are bundled in (they ship TypeScript); third-party ones stay external.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  sourcemap: true,
  noExternal: [/^@rushgate\//],
  loader: { ".lua": "text" },
});
