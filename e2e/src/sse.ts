import { request } from "node:http";

export interface SseMessage {
  event: string;
  data: unknown;
}

/** An open event stream, read as EventSource would (its own connection, as a browser's). */
export interface SseStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The messages so far (comments are not messages). */
  messages: SseMessage[];
  /** Raw text so far, heartbeats included. */
  text: () => string;
  ended: Promise<void>;
  /** Resolves with the first message (from `from` on) that `match` accepts. */
  next(match: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

/** Opens `GET url` with these headers; a non-200 answer resolves too, with its JSON as `data`. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: "text/event-stream", ...headers }, agent: false });
    req.on("error", reject);
    req.on("response", (res) => {
      let raw = "";
      let buffer = "";
      const messages: SseMessage[] = [];
      const waiters = new Set<() => void>();
      const ended = new Promise<void>((done) => res.on("close", () => done()));
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trim());
          }
          if (data.length > 0) messages.push({ event, data: JSON.parse(data.join("\n")) });
          cut = buffer.indexOf("\n\n");
        }
        for (const wake of waiters) wake();
      });
      res.on("close", () => {
        for (const wake of waiters) wake();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        text: () => raw,
        ended,
        next(match, timeoutMs = 10_000) {
          return new Promise((found, fail) => {
            const check = () => {
              const m = messages.find(match);
              if (m) {
                waiters.delete(check);
                clearTimeout(timer);
                found(m);
              } else if (res.closed && res.readableEnded) {
                waiters.delete(check);
                clearTimeout(timer);
                fail(new Error(`stream ended without the message; got ${JSON.stringify(messages)}`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no such message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}
