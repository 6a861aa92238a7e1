export * from "./changes";
export * from "./errors";
export * from "./fairness";
export * from "./schemas";
export * from "./types";
