// What the server may call: outbound requests (push services, webhooks) go to https on a public
// address, never into the server's own network. The URL is checked when it is registered, and the
// address actually connected to is checked again at connect time (a name can resolve anywhere, and
// resolve differently later), through the agents' DNS lookup.
// OUTBOUND_ALLOW_PRIVATE=true (tests, private networks) lifts both checks and allows http.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import ipaddr from "ipaddr.js";

export interface OutboundPolicy {
  allowPrivate: boolean;
}

/** The error code of a connection refused because its address is not public. */
export const outboundRefusedCode = "EOUTBOUNDREFUSED";

/** Ranges ipaddr.js calls "unicast" that are still not the public internet. */
const notPublicV4: [ipaddr.IPv4, number][] = [
  ipaddr.IPv4.parseCIDR("198.18.0.0/15"), // benchmarking (RFC 2544)
];
const notPublicV6: [ipaddr.IPv6, number][] = [
  ipaddr.IPv6.parseCIDR("fec0::/10"), // deprecated site-local
  ipaddr.IPv6.parseCIDR("::/96"), // deprecated IPv4-compatible (::a.b.c.d)
  ipaddr.IPv6.parseCIDR("100::/64"), // discard-only
];

/** True when an IP address (v4 or v6, as text) is a public unicast address. Anything unparsable is not. */
export function isPublicAddress(address: string): boolean {
  const text = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(text) || net.isIP(text.split("%")[0]!) === 0) return false;
  let parsed = ipaddr.parse(text);
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d on a dual-stack socket.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.range() !== "unicast") return false;
  if (parsed.kind() === "ipv4") return !notPublicV4.some((range) => (parsed as ipaddr.IPv4).match(range));
  return !notPublicV6.some((range) => (parsed as ipaddr.IPv6).match(range));
}

/** Whether the policy allows connecting to this address. */
export function addressAllowed(address: string, policy: OutboundPolicy): boolean {
  return policy.allowPrivate || isPublicAddress(address);
}

/** A URL's host without IPv6 brackets, and whether it is an IP literal. */
function hostOf(url: URL): { host: string; literal: boolean } {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return { host, literal: net.isIP(host) !== 0 };
}

/** The URL's own check: https only (http too when allowPrivate), no userinfo, a host name; an IP-literal host in a loopback/private/link-local/unique-local/reserved range refused unless allowPrivate. */
export function checkOutboundUrl(text: string, policy: OutboundPolicy): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "not an absolute URL" };
  }
  const schemes = policy.allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(url.protocol)) return { ok: false, reason: policy.allowPrivate ? "only http and https URLs are allowed" : "only https URLs are allowed" };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "a URL may not carry a user name or password" };
  const { host, literal } = hostOf(url);
  if (host === "") return { ok: false, reason: "the URL has no host" };
  if (policy.allowPrivate) return { ok: true, url };
  if (literal && !isPublicAddress(host)) return { ok: false, reason: "the URL's address is loopback, private or reserved" };
  // Names that are loopback by definition (RFC 6761), refused without asking DNS.
  const name = host.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return { ok: false, reason: "the URL's host is loopback" };
  return { ok: true, url };
}

/** dns.lookup, failing for any resolved address the policy refuses (all of a name's addresses are checked, so none can slip in by order). */
function guardedLookup(policy: OutboundPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", undefined);
      const refused = addresses.find(({ address }) => !addressAllowed(address, policy));
      if (refused !== undefined || addresses.length === 0) {
        const refusal: NodeJS.ErrnoException = new Error(`outbound connection to ${hostname} refused: it resolves to a loopback, private or reserved address`);
        refusal.code = outboundRefusedCode;
        return callback(refusal, "", undefined);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** node:http / node:https Agents whose DNS lookup refuses such addresses unless allowPrivate, so the address actually connected to is checked. */
export function outboundAgents(policy: OutboundPolicy): { http: http.Agent; https: https.Agent } {
  const lookup = guardedLookup(policy);
  return {
    http: new http.Agent({ lookup, keepAlive: false }),
    https: new https.Agent({ lookup, keepAlive: false }),
  };
}
