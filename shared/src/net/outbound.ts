// Outbound calls to addresses a merchant typed (a channel's or a commerce connection's apiBaseUrl)
// must not reach this machine, its network or the cloud's metadata service (server-side request
// forgery). Two checks: when the URL is saved (scheme, literal addresses, what the name resolves to
// now) and when a request is made (the connection uses exactly the addresses checked then, so a
// name that resolves differently later — DNS rebinding — gains nothing). Operators who really
// point integrations at their own network (tests, a self-hosted proxy) allow it in the config.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { AppError } from "../errors.js";

export interface OutboundPolicy {
  /** OUTBOUND_ALLOW_PRIVATE_NETWORKS: loopback, private, link-local and other special ranges allowed too. */
  readonly allowPrivateNetworks: boolean;
}

/** Resolves a host name to every address it has (dns.lookup's shape, so tests can stand in a DNS answer). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** A target refused at request time. */
export class OutboundTargetRefusedError extends AppError {
  constructor(message: string) {
    super("outbound_target_refused", 400, message);
  }
}

// Special-purpose ranges (IANA registries for IPv4 and IPv6): nothing in them is a public API host.
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128], ["::1", 128], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) blocked.addSubnet(net, prefix, "ipv6");

/** IPv4 carried inside an IPv6 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(ip: string): string | null {
  const lower = ip.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower);
  const parts = hex ?? sixToFour;
  if (!parts) return null;
  const high = parseInt(parts[1]!, 16);
  const low = parseInt(parts[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** True for a unicast address on the public internet. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 4) return !blocked.check(ip, "ipv4");
  const v4 = embeddedIpv4(ip);
  if (v4 !== null) return !blocked.check(v4, "ipv4");
  return !blocked.check(ip, "ipv6");
}

/** Names that always mean "this machine or its network", whatever a resolver says. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/i;

function hostOf(url: URL): string {
  // URL keeps IPv6 literals in brackets.
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Why `raw` may not be called under `policy`, judged without the network; null when the name must still be resolved. */
function staticProblem(url: URL, policy: OutboundPolicy): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  if (policy.allowPrivateNetworks) return null;
  const host = hostOf(url);
  if (isIP(host) !== 0) return isPublicAddress(host) ? null : "must point at a public host, not a private, loopback or link-local address";
  if (LOCAL_NAMES.test(host) || !host.includes(".")) return "must point at a public host name";
  return null;
}

/**
 * The save-time check: the reason the URL is refused, or null. A name that does not resolve right
 * now is accepted (the provider may be briefly unreachable); the request-time guard still checks it.
 */
export async function outboundUrlProblem(raw: string, policy: OutboundPolicy, resolve: Resolver = systemResolver): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be a valid URL";
  }
  const problem = staticProblem(url, policy);
  if (problem !== null || policy.allowPrivateNetworks) return problem;
  const host = hostOf(url);
  if (isIP(host) !== 0) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return null;
  }
  return addresses.every((a) => isPublicAddress(a.address)) ? null : "must point at a public host (the name resolves to a private address)";
}

/**
 * For the request itself: throws unless the URL passes the static check, and returns the `lookup`
 * to give node:http(s) (or undici's connect options). It resolves the name, refuses it if any
 * address is not public, and hands the connection exactly the addresses it checked.
 */
export function guardOutbound(raw: string, policy: OutboundPolicy, resolve: Resolver = systemResolver): { url: URL; lookup: LookupFunction } {
  const url = new URL(raw);
  const problem = staticProblem(url, policy);
  if (problem !== null) throw new OutboundTargetRefusedError(`${url.origin} ${problem}`);
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const usable = addresses.filter((a) => options.family === undefined || options.family === 0 || a.family === options.family);
        const refused = usable.find((a) => !policy.allowPrivateNetworks && !isPublicAddress(a.address));
        if (refused || usable.length === 0) {
          const err = refused
            ? new OutboundTargetRefusedError(`${hostname} resolves to ${refused.address}, which is not a public address`)
            : Object.assign(new Error(`${hostname} has no usable address`), { code: "ENOTFOUND" });
          callback(err as NodeJS.ErrnoException, "", 0);
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
  return { url, lookup };
}
