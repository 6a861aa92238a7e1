import { createLogger } from "@rushgate/logger";
import { runMain } from "@rushgate/service";
import { parseCouponEnv, startCoupon } from "./server";

const bootLog = createLogger({ service: "coupon" });
void runMain(bootLog, async () => startCoupon(parseCouponEnv()));
