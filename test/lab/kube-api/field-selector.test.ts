import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { matchesFieldSelector, parseFieldSelector } from '../../../src/lab/kube-api/field-selector.js';

const fields: Record<string, string> = {
  'metadata.name': 'web-0',
  'status.phase': 'Running',
  'involvedObject.fieldPath': 'spec.containers{a,b}',
};
const matches = (selector: string) =>
  matchesFieldSelector(parseFieldSelector(selector), (field) => fields[field] ?? '');

describe('parseFieldSelector', () => {
  it('parses =, == and != terms when they are comma-joined', () => {
    expect(parseFieldSelector('metadata.name=web-0,status.phase==Running,spec.nodeName!=')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web-0' },
      { field: 'status.phase', operator: '=', value: 'Running' },
      { field: 'spec.nodeName', operator: '!=', value: '' },
    ]);
  });

  it('unescapes commas, equals signs and backslashes when values carry them', () => {
    expect(parseFieldSelector('involvedObject.fieldPath=spec.containers{a\\,b},x=a\\=b\\\\')).toEqual([
      { field: 'involvedObject.fieldPath', operator: '=', value: 'spec.containers{a,b}' },
      { field: 'x', operator: '=', value: 'a=b\\' },
    ]);
  });

  it('returns no requirements when the selector is empty', () => {
    expect(parseFieldSelector('')).toEqual([]);
  });

  it.each(['status.phase', 'a=b=c', 'a=b\\x', '=x'])('throws a HolmesError when the selector is %s', (selector) => {
    expect(() => parseFieldSelector(selector)).toThrow(HolmesError);
  });
});

describe('matchesFieldSelector', () => {
  it('compares values exactly when terms use = or !=', () => {
    expect(matches('metadata.name=web-0')).toBe(true);
    expect(matches('metadata.name!=web-0')).toBe(false);
    expect(matches('status.phase=Running,metadata.name=web-1')).toBe(false);
    expect(matches('involvedObject.fieldPath=spec.containers{a\\,b}')).toBe(true);
    expect(matches('spec.nodeName=')).toBe(true);
  });
});
