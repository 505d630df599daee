import { lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { IntegrationError } from '../errors/integration-error';

/** Loopback, private, link-local, shared, reserved and multicast ranges: what an SSRF guard refuses. */
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

/**
 * True when `address` (an IPv4 or IPv6 literal) is loopback, private
 * (RFC 1918, unique local), link-local, carrier-grade NAT, reserved or
 * multicast. IPv4-mapped IPv6 addresses are checked as IPv4.
 */
export function isPrivateAddress(address: string): boolean {
  const unbracketed = address.startsWith('[') ? address.slice(1, -1) : address;
  const family = isIP(unbracketed);
  if (family === 4) return privateRanges.check(unbracketed, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed);
  if (mapped !== null) return privateRanges.check(mapped[1]!, 'ipv4');
  return privateRanges.check(unbracketed, 'ipv6');
}

function refusal(host: string, address: string, provider: string | undefined): IntegrationError {
  return new IntegrationError({
    kind: 'validation',
    message: `Refusing to connect to ${host} (${address}): it is a loopback, private or link-local address. Set allowPrivateNetwork: true to allow it.`,
    provider,
    isRetryable: false,
  });
}

/**
 * Resolves `hostname` with `node:dns` (all addresses) and rejects with a
 * `validation` IntegrationError when any of them is private (see
 * {@link isPrivateAddress}). IP literals are checked without a lookup.
 */
export async function assertPublicHost(hostname: string, provider?: string): Promise<void> {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(host) !== 0) {
    if (isPrivateAddress(host)) throw refusal(hostname, host, provider);
    return;
  }
  const addresses = await new Promise<{ address: string }[]>((resolve, reject) => {
    lookup(host, { all: true }, (error, results) => (error === null ? resolve(results) : reject(error)));
  });
  for (const { address } of addresses) if (isPrivateAddress(address)) throw refusal(hostname, address, provider);
}

/**
 * A `lookup` for `net.connect` that refuses private addresses, so a
 * hostname that is re-pointed (DNS rebinding) after the first check still
 * cannot reach the private network.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, results) => {
    if (error !== null) {
      callback(error, '', 0);
      return;
    }
    const refused = results.find(({ address }) => isPrivateAddress(address));
    if (refused !== undefined) {
      callback(Object.assign(refusal(hostname, refused.address, undefined), { code: 'ERR_PRIVATE_ADDRESS' }), '', 0);
      return;
    }
    if (options.all === true) {
      (callback as unknown as (error: null, addresses: typeof results) => void)(null, results);
      return;
    }
    const first = results[0]!;
    callback(null, first.address, first.family);
  });
};
