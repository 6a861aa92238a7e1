export * from "./admin-audit";
export * from "./admin-tokens";
export * from "./coupon-events";
export * from "./coupon-issuances";
