export * from "./admin-audit";
export * from "./admin-tokens";
export * from "./admission-log";
export * from "./coupon-events";
export * from "./coupon-issuances";
export * from "./scheduled-changes";
