import { defineConfig } from "tsup";
import { bundle } from "../../tsup.shared";

export default defineConfig({ ...bundle, entry: ["src/index.ts"] });
