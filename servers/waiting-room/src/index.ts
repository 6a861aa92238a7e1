import { createLogger } from "@rushgate/logger";
import { runMain } from "@rushgate/service";
import { parseWaitingRoomEnv, startWaitingRoom } from "./server";

const bootLog = createLogger({ service: "waiting-room" });
void runMain(bootLog, async () => startWaitingRoom(parseWaitingRoomEnv()));
