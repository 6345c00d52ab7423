import { describe, expect, it } from 'vitest';
import { alertFingerprint } from '../../src/core/alert-fingerprint.js';

// Reference values from prometheus/common model/signature_test.go (TestMetricToFingerprint and
// the BenchmarkMetricToFingerprint* cases), printed as Fingerprint.String() prints them (%016x).
const hex = (decimal: bigint): string => decimal.toString(16).padStart(16, '0');

describe('alertFingerprint', () => {
  it('matches Prometheus when the label set is empty', () => {
    expect(alertFingerprint({})).toBe(hex(14695981039346656037n));
  });

  it('matches Prometheus when given the published two-label set', () => {
    expect(alertFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(hex(5799056148416392346n));
    expect(alertFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe('507a62d79ee76c9a');
  });

  it('matches Prometheus when given the published one- and three-label sets', () => {
    expect(alertFingerprint({ 'first-label': 'first-label-value' })).toBe(hex(5146282821936882169n));
    expect(
      alertFingerprint({
        'third-label': 'third-label-value',
        'first-label': 'first-label-value',
        'second-label': 'second-label-value',
      }),
    ).toBe(hex(13843036195897128121n));
  });

  it('pads to 16 hex digits and ignores key order when labels are given in any order', () => {
    const first = alertFingerprint({ alertname: 'A', severity: 'critical' });
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(alertFingerprint({ severity: 'critical', alertname: 'A' })).toBe(first);
  });

  it('changes when a name and value boundary moves, thanks to the separators', () => {
    expect(alertFingerprint({ a: 'bb', b: 'c' })).not.toBe(alertFingerprint({ a: 'b', bb: 'c' }));
  });

  it('agrees with FNV-1a 64 computed on BigInt when given many random label sets, multi-byte text included', () => {
    // The definition, bit for bit: FNV-1a 64 over name 0xff value 0xff, names in byte order.
    const reference = (labels: Record<string, string>): string => {
      let hash = 14695981039346656037n;
      const names = Object.keys(labels).sort((left, right) => Buffer.compare(Buffer.from(left), Buffer.from(right)));
      for (const name of names)
        for (const byte of [...Buffer.from(name), 0xff, ...Buffer.from(labels[name]!), 0xff])
          hash = ((hash ^ BigInt(byte)) * 1099511628211n) & ((1n << 64n) - 1n);
      return hex(hash);
    };
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'Z', '_', '0', 'é', '日', '🚀', ' ', '"', '\\'];
    const text = () =>
      Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * 10)]).join('');
    for (let round = 0; round < 300; round += 1) {
      const labels: Record<string, string> = {};
      for (let index = Math.floor(random() * 6); index > 0; index -= 1) labels[`l${text()}`] = text();
      expect(alertFingerprint(labels), JSON.stringify(labels)).toBe(reference(labels));
    }
  });
});
