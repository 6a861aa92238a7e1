export * from "./coupon-events";
export * from "./coupon-issuances";
