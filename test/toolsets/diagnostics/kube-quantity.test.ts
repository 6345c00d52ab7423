import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../src/toolsets/diagnostics/kube-quantity.js';
import { describeSelector, matchesSelector } from '../../../src/toolsets/diagnostics/label-selector-match.js';

describe('parseQuantity', () => {
  it('reads decimal and binary suffixes, milli-units and plain counts', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('64Gi')).toBe(64 * 2 ** 30);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1.5k')).toBe(1500);
    expect(parseQuantity(8)).toBe(8);
  });

  it('gives null for what is not a quantity', () => {
    expect(parseQuantity('lots')).toBeNull();
    expect(parseQuantity(undefined)).toBeNull();
  });
});

describe('matchesSelector', () => {
  it('applies matchLabels and every expression operator', () => {
    const labels = { app: 'envoy', tier: 'edge' };
    expect(matchesSelector({ matchLabels: { app: 'envoy' } }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge'] }] }, labels)).toBe(
      true,
    );
    expect(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['edge'] }] }, labels)).toBe(
      false,
    );
    expect(matchesSelector({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels)).toBe(false);
  });

  it('selects everything with an empty selector and nothing without one', () => {
    expect(matchesSelector({}, { any: 'thing' })).toBe(true);
    expect(matchesSelector(undefined, { any: 'thing' })).toBe(false);
    expect(describeSelector({})).toBe('{} (all)');
  });
});
