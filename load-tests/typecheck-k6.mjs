// Type-checks the k6 scripts (load-tests/k6/*.js) against @types/k6 with load-tests/tsconfig.json.
//
//   node load-tests/typecheck-k6.mjs     exits 0 when tsc reports nothing, else 1 with tsc's output
//
// Importable too: `typecheckK6()` returns { ok, status, output } for a test to assert on.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The load-tests package: the folder of this file, which holds tsconfig.json. */
export const loadTestsDir = dirname(fileURLToPath(import.meta.url));

/**
 * Runs `tsc -p load-tests` with the TypeScript installed for load-tests (no npx, no network).
 * @returns {{ ok: boolean, status: number | null, output: string }}
 */
export function typecheckK6() {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve("typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", loadTestsDir, "--pretty", "false"], {
    cwd: loadTestsDir,
    encoding: "utf8",
  });
  const output = [run.error ? String(run.error) : "", run.stdout ?? "", run.stderr ?? ""]
    .filter((s) => s.trim() !== "")
    .join("\n")
    .trim();
  return { ok: run.status === 0 && output === "", status: run.status, output };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (invokedDirectly) {
  const result = typecheckK6();
  if (result.ok) {
    console.log("k6 scripts type-check cleanly against @types/k6");
  } else {
    console.error(`tsc -p ${loadTestsDir} failed (exit ${result.status}):\n${result.output}`);
    process.exitCode = 1;
  }
}
