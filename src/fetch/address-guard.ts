import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Address classes a feed must not send us into (server-side request forgery). Anything else is `public`.
 * `unspecified` (0.0.0.0, ::) is here because connecting to it reaches the local host on Linux.
 */
export type AddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'cgnat' | 'public';

const SUBNETS: ReadonlyArray<readonly [Exclude<AddressClass, 'public'>, string, number, 'ipv4' | 'ipv6']> = [
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
];

const BLOCKS = new Map<AddressClass, BlockList>();
for (const [cls, net, prefix, type] of SUBNETS) {
  let list = BLOCKS.get(cls);
  if (!list) BLOCKS.set(cls, (list = new BlockList()));
  list.addSubnet(net, prefix, type);
}

/** 64:ff9b::/96 (NAT64) carries an IPv4 address in its last 32 bits; a NAT64 gateway would forward to it. */
const NAT64 = /^64:ff9b::(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i;

/** The class of an IP address literal (IPv4, IPv6, IPv4-mapped IPv6); `public` for anything not listed above. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) return 'public';
  if (family === 6) {
    const m = NAT64.exec(address);
    if (m) {
      const v4 = m[1] ?? hexPairToIpv4(m[2] ?? '0', m[3] ?? '0');
      return classifyAddress(v4);
    }
  }
  // BlockList matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 subnets itself.
  for (const [cls, list] of BLOCKS) {
    if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return cls;
  }
  return 'public';
}

function hexPairToIpv4(hi: string, lo: string): string {
  const a = parseInt(hi, 16);
  const b = parseInt(lo, 16);
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}

/** A URL hostname without IPv6 brackets. */
export function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * The class of a URL's host when it is known without asking DNS: an IP literal, or `localhost` (RFC 6761 reserves it
 * and `*.localhost` for loopback). Other names are `public` here; their addresses are checked when we connect.
 */
export function classifyHost(url: URL): AddressClass {
  const host = bareHostname(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return classifyAddress(host);
}

/**
 * Which non-public classes a fetch may reach: all of them when config allows private addresses; otherwise only the
 * configured URL's own class (a source configured at 127.0.0.1 is local development and may stay on loopback).
 * The configured host is classified without DNS, so a public name whose DNS points inward earns no exception.
 */
export type AddressPolicy = 'all' | 'public-only' | Exclude<AddressClass, 'public'>;

export function addressPolicyFor(configuredUrl: string, allowPrivateAddresses: boolean): AddressPolicy {
  if (allowPrivateAddresses) return 'all';
  let cls: AddressClass;
  try {
    cls = classifyHost(new URL(configuredUrl));
  } catch {
    // An unparseable configured URL earns no exception; the fetch itself reports the bad URL.
    cls = 'public';
  }
  return cls === 'public' ? 'public-only' : cls;
}

export function isAllowed(cls: AddressClass, policy: AddressPolicy): boolean {
  return cls === 'public' || policy === 'all' || cls === policy;
}

/** Raised by the guarded lookup (or the literal check) before any connection is attempted. */
export class ForbiddenAddressError extends Error {
  readonly code = 'ERR_FORBIDDEN_ADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(
      hostname === address
        ? `${address} is a ${addressClass} address`
        : `${hostname} resolves to ${address}, a ${addressClass} address`,
    );
    this.name = 'ForbiddenAddressError';
  }
}

/** The callback shape of `dns.lookup`, as `net.connect({ lookup })` calls it (with or without `all`). */
export type LookupFunction = (
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/**
 * Wraps a DNS lookup so that addresses outside the policy are dropped at connect time; when none is left the
 * connection fails with `ForbiddenAddressError`. Because the check runs on the very addresses `net.connect` is about
 * to use, a name that resolved to a public address a moment ago (DNS rebinding) cannot slip through.
 */
export function guardLookup(policy: AddressPolicy, lookup: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  if (policy === 'all') return lookup;
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, result) => {
      if (err) return callback(err, '');
      const all = Array.isArray(result) ? result : [{ address: result, family: isIP(result) }];
      const allowed = all.filter((a) => isAllowed(classifyAddress(a.address), policy));
      const first = all[0];
      if (allowed.length === 0 || !first) {
        const address = first?.address ?? '(none)';
        return callback(new ForbiddenAddressError(hostname, address, classifyAddress(address)), '');
      }
      if (options.all) return callback(null, allowed);
      const one = allowed[0]!;
      callback(null, one.address, one.family);
    });
  };
}
