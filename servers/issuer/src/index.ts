import { createLogger } from "@rushgate/logger";
import { runMain } from "@rushgate/service";
import { parseIssuerEnv, startIssuer } from "./server";

const bootLog = createLogger({ service: "issuer" });
void runMain(bootLog, async () => startIssuer(parseIssuerEnv()));
