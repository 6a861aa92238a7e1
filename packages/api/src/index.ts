export * from "./admission-export";
export * from "./errors";
export * from "./fairness";
export * from "./schemas";
export * from "./types";
export * from "./verify-fairness";
