import { describe, expect, it } from "vitest";
import { clientAddress, isTrusted, parseProxies } from "./proxies";

const proxies = parseProxies("10.0.0.0/8, 192.168.1.7, fd00::/8");

describe("trusted proxies", () => {
  it("match addresses and CIDRs, IPv4-mapped IPv6 included", () => {
    expect(isTrusted(proxies, "10.1.2.3")).toBe(true);
    expect(isTrusted(proxies, "::ffff:10.1.2.3")).toBe(true);
    expect(isTrusted(proxies, "192.168.1.7")).toBe(true);
    expect(isTrusted(proxies, "192.168.1.8")).toBe(false);
    expect(isTrusted(proxies, "fd12::1")).toBe(true);
    expect(isTrusted(proxies, "not-an-ip")).toBe(false);
    expect(isTrusted(proxies, undefined)).toBe(false);
    expect(isTrusted(parseProxies(""), "10.1.2.3")).toBe(false);
  });

  it("refuse an entry that is neither an address nor a CIDR", () => {
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0.1/8/1", "1.2.3.4/x", "::1/129"])
      expect(() => parseProxies(bad), bad).toThrow(bad);
  });
});

describe("the client address", () => {
  it("is the socket's when the request did not come through a trusted proxy, whatever it claims", () => {
    expect(clientAddress(proxies, "1.1.1.1", "203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddress(proxies, undefined, "::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddress(proxies, undefined, undefined)).toBe("unknown");
  });

  it("is what the trusted proxy appended, never the client-written leftmost entry", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    expect(clientAddress(proxies, "6.6.6.6, 203.0.113.9", "10.0.0.5")).toBe("203.0.113.9");
    expect(clientAddress(proxies, "6.6.6.6,7.7.7.7, 203.0.113.9", "10.0.0.5")).toBe("203.0.113.9");
    expect(clientAddress(proxies, "203.0.113.9", "10.0.0.5")).toBe("203.0.113.9");
  });

  it("skips a chain of trusted proxies from the right", () => {
    expect(clientAddress(proxies, "6.6.6.6, 203.0.113.9, 192.168.1.7, 10.2.0.1", "10.0.0.5")).toBe(
      "203.0.113.9",
    );
  });

  it("stops at garbage a trusted proxy would not write", () => {
    expect(clientAddress(proxies, "203.0.113.9, bogus", "10.0.0.5")).toBe("10.0.0.5");
    expect(clientAddress(proxies, "", "10.0.0.5")).toBe("10.0.0.5");
    // Only trusted hops: the leftmost of them is as far as anyone vouches for.
    expect(clientAddress(proxies, "10.9.9.9", "10.0.0.5")).toBe("10.9.9.9");
  });
});
