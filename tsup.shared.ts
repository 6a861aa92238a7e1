import type { Options } from "tsup";

/**
 * How every deployable and dev tool is bundled: one ESM file per entry for Node 20, workspace
 * packages bundled in (they ship TypeScript), third-party ones external, Lua scripts as text.
 */
export const bundle: Options = {
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  sourcemap: true,
  noExternal: [/^@rushgate\//],
  loader: { ".lua": "text" },
};
