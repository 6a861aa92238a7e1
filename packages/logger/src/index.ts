import { type Logger, pino } from "pino";

export type { Logger };

/** The one root logger of a process; requests get children. JSON always, pretty never in prod. */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    level: options.level ?? "info",
    base: { service: options.service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "token"],
      censor: "[redacted]",
    },
  });
}
