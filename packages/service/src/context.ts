import type { Logger } from "@rushgate/logger";

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    userId: string;
  };
}
