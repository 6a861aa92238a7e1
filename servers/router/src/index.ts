import { createLogger } from "@rushgate/logger";
import { runMain } from "@rushgate/service";
import { parseRouterEnv, startRouter } from "./server";

const bootLog = createLogger({ service: "router" });
void runMain(bootLog, async () => startRouter(parseRouterEnv()));
