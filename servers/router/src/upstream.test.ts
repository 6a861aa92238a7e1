import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { callStream, createUpstream } from "./upstream";

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

describe("callStream", () => {
  it("hands the answer on while the upstream is still sending it, with the download headers", async () => {
    let finish: (() => void) | undefined;
    server = createServer((_req, res) => {
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="x.csv"',
        "x-internal": "not for clients",
      });
      res.write("first,chunk\n");
      // The rest only once the caller has seen the first chunk: a buffering forwarder never would.
      finish = () => res.end("last,chunk\n");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const upstream = createUpstream("coupon", [`http://127.0.0.1:${port}`], 2);
    try {
      const res = await callStream(upstream, { method: "GET", path: "/export", headers: {} });
      expect(res.status).toBe(200);
      expect(res.headers).toEqual({
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="x.csv"',
      });
      const chunks: string[] = [];
      for await (const chunk of res.body) {
        chunks.push(String(chunk));
        if (chunks.length === 1) finish?.();
      }
      expect(chunks.join("")).toBe("first,chunk\nlast,chunk\n");
      expect(chunks[0]).toBe("first,chunk\n");
    } finally {
      await upstream.close();
    }
  });

  it("answers 503 when no instance can be reached", async () => {
    const upstream = createUpstream("coupon", ["http://127.0.0.1:1"], 1);
    try {
      await expect(callStream(upstream, { method: "GET", path: "/", headers: {} })).rejects.toMatchObject({
        code: "service_unavailable",
      });
    } finally {
      await upstream.close();
    }
  });
});
