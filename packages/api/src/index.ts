export * from "./admission-export";
export * from "./changes";
export * from "./errors";
export * from "./fairness";
export * from "./schemas";
export * from "./switches";
export * from "./types";
export * from "./verify-fairness";
