// FNV-1a 64 offset basis 0xcbf29ce484222325 and prime 0x100000001b3 = 2^40 + 0x1b3, in 32-bit halves.
const OFFSET_HIGH = 0xcbf29ce4;
const OFFSET_LOW = 0x84222325;
const PRIME_LOW = 0x1b3;
const TWO_32 = 0x1_0000_0000;
const SEPARATOR = 0xff;

/**
 * The fingerprint Alertmanager gives an alert: prometheus/common `model.LabelSet.Fingerprint()`,
 * FNV-1a 64 over the label names in byte order, each name and value followed by 0xff, printed as
 * 16 lower-case hex digits. Computed on two 32-bit halves rather than BigInt: a webhook body can
 * hold thousands of alerts without fingerprints.
 */
export function alertFingerprint(labels: Record<string, string>): string {
  let high = OFFSET_HIGH;
  let low = OFFSET_LOW;
  const add = (byte: number): void => {
    low = (low ^ byte) >>> 0;
    // (high·2^32 + low) · (2^40 + 0x1b3) mod 2^64: low·0x1b3 fits a double exactly (< 2^41).
    const lowProduct = low * PRIME_LOW;
    const carry = Math.floor(lowProduct / TWO_32);
    high = (Math.imul(high, PRIME_LOW) + (low << 8) + carry) >>> 0;
    low = lowProduct >>> 0;
  };
  const entries = Object.entries(labels).map(([name, value]) => [Buffer.from(name), Buffer.from(value ?? '')] as const);
  entries.sort(([left], [right]) => Buffer.compare(left, right));
  for (const [name, value] of entries) {
    for (const byte of name) add(byte);
    add(SEPARATOR);
    for (const byte of value) add(byte);
    add(SEPARATOR);
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
