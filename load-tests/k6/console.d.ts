// k6 gives every script a `console` (log, info, warn, error, debug), but @types/k6 does not
// declare it and tsconfig.json leaves out the DOM lib on purpose (no window, fetch, ... in k6).
interface K6Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}

declare var console: K6Console;
