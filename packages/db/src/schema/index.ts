export * from "./coupon-events";
export * from "./coupon-issuances";
export * from "./scheduled-changes";
