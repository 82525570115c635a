/* Kubernetes resource quantities (apimachinery `resource.Quantity`), as the API server prints them. */

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** `value` as an exact count of nano-units, e.g. 1.5 → 1500000000n; undefined when it has finer digits. */
function nanoUnits(number: string, exponent: number): bigint | undefined {
  const [whole, fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = exponent + 9 - fraction.length;
  if (scale >= 0) return digits * 10n ** BigInt(scale);
  const divisor = 10n ** BigInt(-scale);
  return digits % divisor === 0n ? digits / divisor : undefined;
}

function canonicalDecimal(nano: bigint): string {
  if (nano === 0n) return '0';
  // The largest power-of-1000 suffix that keeps the number whole: 1000m is 1, 1500m stays 1500m.
  for (const [suffix, exponent] of Object.entries(DECIMAL_SUFFIXES).sort((a, b) => b[1] - a[1])) {
    const unit = 10n ** BigInt(exponent + 9);
    if (nano % unit === 0n) return `${nano / unit}${suffix}`;
  }
  return `${nano}n`;
}

/**
 * A resource quantity as the API server prints it (apimachinery `Quantity.String()`): `1000m` is `1`,
 * `1024Mi` is `1Gi`, `0.5` is `500m`. kubernetes_manifest compares the strings, so `cpu: 1000m` fails
 * an apply (terraform-provider-kubernetes #2508, kubernetes-alpha #248). Unusual forms (exponents,
 * signs, sub-nano digits) are left as written.
 */
export function canonicalQuantity(quantity: string): string {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(quantity);
  if (!match) return quantity;
  const [, number, suffix] = match;
  const binaryPower = BINARY_SUFFIXES.indexOf(suffix);
  if (binaryPower > 0) {
    const nano = nanoUnits(number, 0);
    if (nano === undefined) return quantity;
    const nanoBytes = nano * 1024n ** BigInt(binaryPower);
    const whole = nanoBytes % 1_000_000_000n === 0n ? nanoBytes / 1_000_000_000n : undefined;
    // Below 1024 bytes, or not whole bytes, the server switches to the decimal form.
    if (whole === undefined || whole < 1024n) return canonicalDecimal(nanoBytes);
    let power = 0;
    let value = whole;
    while (power < BINARY_SUFFIXES.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      power += 1;
    }
    return `${value}${BINARY_SUFFIXES[power]}`;
  }
  const nano = nanoUnits(number, DECIMAL_SUFFIXES[suffix]);
  return nano === undefined ? quantity : canonicalDecimal(nano);
}
