/*
 * IPv4 address arithmetic for the network plan: parse a CIDR once, then ask whether two ranges
 * overlap, whether one contains another, and how many addresses or /24 blocks a range holds.
 */

/** An IPv4 range, e.g. 10.10.0.0/22, as a 32-bit start address and a prefix length. */
export interface Ipv4Cidr {
  /** The text as written in the environment file. */
  readonly text: string;
  /** First address as an unsigned 32-bit number. */
  readonly start: number;
  readonly prefixLength: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address as an unsigned 32-bit number, or an error message. */
export function parseIpv4(text: string): number | string {
  const match = OCTETS.exec(text);
  if (!match) return `'${text}' is not an IPv4 address like 10.0.0.10`;
  const octets = match.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return `'${text}' has an octet above 255`;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** A CIDR range, or an error message; the address must be the range's first (10.0.0.0/16, not 10.0.1.0/16). */
export function parseCidr(text: string): Ipv4Cidr | string {
  const [address, prefix, ...rest] = text.split('/');
  if (prefix === undefined || rest.length > 0 || !/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) {
    return `'${text}' is not an IPv4 CIDR range like 10.10.0.0/16`;
  }
  const start = parseIpv4(address);
  if (typeof start === 'string') return start;
  const prefixLength = Number(prefix);
  const size = 2 ** (32 - prefixLength);
  if (start % size !== 0) {
    const first = formatIpv4(start - (start % size));
    return `'${text}' is not the start of its range; did you mean ${first}/${prefixLength}?`;
  }
  return { text, start, prefixLength };
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Addresses in the range. */
export const addressCount = (cidr: Ipv4Cidr): number => 2 ** (32 - cidr.prefixLength);

const end = (cidr: Ipv4Cidr): number => cidr.start + addressCount(cidr) - 1;

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.start <= end(b) && b.start <= end(a);
}

export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.start >= outer.start && end(inner) <= end(outer);
}

export function containsAddress(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.start && address <= end(cidr);
}

/**
 * Azure keeps 5 addresses of every subnet (network, gateway, 2 DNS, broadcast).
 * @see https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets
 */
export const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Addresses a subnet can hand out. */
export const usableAddresses = (cidr: Ipv4Cidr): number => Math.max(0, addressCount(cidr) - AZURE_RESERVED_ADDRESSES_PER_SUBNET);
