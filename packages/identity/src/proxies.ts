import { BlockList, isIP } from "node:net";

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:1.2.3.4`. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The proxies the operator trusts (`TRUSTED_PROXIES`: addresses and CIDRs, comma-separated).
 * Throws on an entry that is neither, so a typo fails at start rather than trusting nobody.
 */
export function parseProxies(list: string): BlockList {
  const blocks = new BlockList();
  for (const raw of list.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    if (family === 0 || extra !== undefined) throw new Error(`"${entry}" is not an address or a CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      blocks.addAddress(address, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128))
      throw new Error(`"${entry}" has a bad prefix length`);
    blocks.addSubnet(address, bits, type);
  }
  return blocks;
}

export function isTrusted(proxies: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const ip = plain(address);
  const family = isIP(ip);
  return family !== 0 && proxies.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address. A request from a trusted proxy carries the hops it saw in
 * X-Forwarded-For, each proxy appending the address it was reached from; so the client is the
 * rightmost entry that is not itself a trusted proxy. Entries left of it were written by the
 * client and are never used. From anyone else, the socket's address.
 */
export function clientAddress(
  proxies: BlockList,
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
): string {
  if (!socketAddress) return "unknown";
  let address = plain(socketAddress);
  if (!forwardedFor || !isTrusted(proxies, address)) return address;
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plain((hops[i] as string).trim());
    // Not an address: nothing a trusted proxy wrote, so stop at the last hop that was.
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!isTrusted(proxies, hop)) return hop;
  }
  return address;
}
