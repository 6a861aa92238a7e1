import { defineConfig, type Plugin } from "vitest/config";

/** Lua scripts are imported as text, as the servers' bundler (tsup) does. */
function luaAsText(): Plugin {
  return {
    name: "lua-as-text",
    transform(code, id) {
      if (id.endsWith(".lua")) return { code: `export default ${JSON.stringify(code)};`, map: null };
    },
  };
}

export default defineConfig({
  plugins: [luaAsText()],
  test: {
    // The JSON report lets .ci/run print one closing "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: "node_modules/.vitest/results.json" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: [
            "{packages,servers}/*/src/**/*.test.ts",
            "load-tests/src/**/*.test.ts",
            "infra/src/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          // Projects with a higher groupOrder start only when the lower ones are done, so the
          // fault tests (which stop MariaDB and kill connections) never overlap other tests.
          sequence: { groupOrder: 1 },
          include: ["{packages,servers}/*/src/**/*.int.test.ts", "e2e/src/**/*.test.ts"],
          exclude: ["e2e/src/faults/**", "**/node_modules/**"],
          globalSetup: ["packages/testing/src/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "faults",
          sequence: { groupOrder: 2 },
          include: ["e2e/src/faults/**/*.test.ts"],
          globalSetup: ["packages/testing/src/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
