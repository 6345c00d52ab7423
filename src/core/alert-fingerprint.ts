const OFFSET_64 = 14695981039346656037n;
const PRIME_64 = 1099511628211n;
const MASK_64 = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

/**
 * The fingerprint Alertmanager gives an alert: prometheus/common `model.LabelSet.Fingerprint()`,
 * FNV-1a 64 over the label names in byte order, each name and value followed by 0xff, printed as
 * 16 lower-case hex digits.
 */
export function alertFingerprint(labels: Record<string, string>): string {
  let hash = OFFSET_64;
  const add = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * PRIME_64) & MASK_64;
  };
  const names = Object.keys(labels).sort((left, right) => Buffer.compare(Buffer.from(left), Buffer.from(right)));
  for (const name of names) {
    for (const byte of Buffer.from(name, 'utf8')) add(byte);
    add(SEPARATOR);
    for (const byte of Buffer.from(labels[name] ?? '', 'utf8')) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
