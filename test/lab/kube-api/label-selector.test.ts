import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { matchesLabelSelector, parseLabelSelector } from '../../../src/lab/kube-api/label-selector.js';

const labels = { app: 'chat-api', 'app.kubernetes.io/part-of': 'llm', track: 'canary', replicas: '3', empty: '' };
const matches = (selector: string, target: Record<string, string> = labels) =>
  matchesLabelSelector(parseLabelSelector(selector), target);

describe('parseLabelSelector', () => {
  it('parses every operator into requirements when they are comma-joined', () => {
    expect(parseLabelSelector('a=b, c==d,e!=f,g in (h, i),j notin (k),l,!m,n>1,o<2')).toEqual([
      { key: 'a', operator: '=', values: ['b'] },
      { key: 'c', operator: '=', values: ['d'] },
      { key: 'e', operator: '!=', values: ['f'] },
      { key: 'g', operator: 'in', values: ['h', 'i'] },
      { key: 'j', operator: 'notin', values: ['k'] },
      { key: 'l', operator: 'exists', values: [] },
      { key: 'm', operator: '!', values: [] },
      { key: 'n', operator: '>', values: ['1'] },
      { key: 'o', operator: '<', values: ['2'] },
    ]);
  });

  it('returns no requirements when the selector is empty or blank', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('  ')).toEqual([]);
  });

  it('accepts prefixed keys and empty values when written as the API server allows', () => {
    expect(parseLabelSelector('app.kubernetes.io/part-of=llm,empty=')).toEqual([
      { key: 'app.kubernetes.io/part-of', operator: '=', values: ['llm'] },
      { key: 'empty', operator: '=', values: [''] },
    ]);
  });

  it.each([
    ['app in chat', "expected: '('"],
    ['app in (a b)', "expected: ',' or ')'"],
    ['!app=x', "expected: ',' or end of string"],
    ['app=a=b', "expected: ','"],
    ['=x', 'expected: identifier'],
    ['a>b', 'must be an integer'],
    ['bad key!=x', 'expected: in, notin'],
    ['app=' + 'x'.repeat(64), 'not a valid label value'],
    ['-app=x', 'not a valid label key'],
  ])('throws a HolmesError naming the problem when the selector is %s', (selector, detail) => {
    const error = (() => {
      try {
        parseLabelSelector(selector);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(HolmesError.isInstance(error)).toBe(true);
    expect((error as HolmesError).message).toContain('unable to parse requirement');
    expect((error as HolmesError).message).toContain(detail);
    expect((error as HolmesError).fix).toBeTruthy();
  });
});

describe('matchesLabelSelector', () => {
  it('matches equality and inequality when the label is present or missing', () => {
    expect(matches('app=chat-api')).toBe(true);
    expect(matches('app==other')).toBe(false);
    expect(matches('app!=other')).toBe(true);
    expect(matches('missing!=x')).toBe(true);
    expect(matches('missing=x')).toBe(false);
    expect(matches('empty=')).toBe(true);
  });

  it('matches set membership when in and notin are used', () => {
    expect(matches('track in (stable,canary)')).toBe(true);
    expect(matches('track in (stable)')).toBe(false);
    expect(matches('track notin (canary)')).toBe(false);
    expect(matches('missing notin (canary)')).toBe(true);
    expect(matches('missing in (canary)')).toBe(false);
  });

  it('matches existence, absence and integer comparisons', () => {
    expect(matches('app.kubernetes.io/part-of')).toBe(true);
    expect(matches('!app.kubernetes.io/part-of')).toBe(false);
    expect(matches('!missing')).toBe(true);
    expect(matches('replicas>2,replicas<4')).toBe(true);
    expect(matches('app>1')).toBe(false);
  });

  it('requires every requirement when several are joined, and matches everything when there are none', () => {
    expect(matches('app=chat-api,track=stable')).toBe(false);
    expect(matches('app=chat-api,track=canary')).toBe(true);
    expect(matches('', {})).toBe(true);
    expect(matchesLabelSelector(parseLabelSelector('app'), undefined)).toBe(false);
  });
});
