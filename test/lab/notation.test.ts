import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { expandSeriesValues, MAX_SAMPLES } from '../../src/lab/notation.js';

function errorOf(text: string): HolmesError {
  try {
    expandSeriesValues(text);
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to be rejected`);
}

// Expected values were read from promtool 2.42 (`promtool test rules`) on the same notation.
describe('expandSeriesValues', () => {
  it('gives n+1 samples stepping up when the term is a+bxn', () => {
    expect(expandSeriesValues('1+2x3')).toEqual([1, 3, 5, 7]);
  });

  it('gives n+1 samples stepping down when the term is a-bxn', () => {
    expect(expandSeriesValues('1-2x4')).toEqual([1, -1, -3, -5, -7]);
  });

  it('starts below zero when the start is negative', () => {
    expect(expandSeriesValues('-2+4x3')).toEqual([-2, 2, 6, 10]);
    expect(expandSeriesValues('-1-1x2')).toEqual([-1, -2, -3]);
  });

  it('repeats the value n+1 times when the term is axn', () => {
    expect(expandSeriesValues('5x3')).toEqual([5, 5, 5, 5]);
    expect(expandSeriesValues('1x0')).toEqual([1]);
  });

  it('adds the step repeatedly as promtool does when the step is fractional', () => {
    const values = expandSeriesValues('0.1+0.1x10');
    expect(values[2]).toBe(0.30000000000000004);
    expect(values[3]).toBe(0.4);
    expect(values[10]).toBe(1.0999999999999999);
    expect(expandSeriesValues('1.5e-2+1e-3x4')[4]).toBe(0.019000000000000003);
  });

  it('reads exponent forms when numbers are written with e or E', () => {
    expect(expandSeriesValues('1e3 1.5E3 1e-3 1E+2x1 1+1e1x1')).toEqual([1000, 1500, 0.001, 100, 100, 1, 11]);
  });

  it('reads Inf, -Inf and NaN in any case when promtool would', () => {
    const values = expandSeriesValues('Inf -Inf NaN inf +Inf nAn -nan INF');
    expect(values.slice(0, 2)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Number.isNaN(values[2])).toBe(true);
    expect(values[3]).toBe(Number.POSITIVE_INFINITY);
    expect(values[4]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(values[5]) && Number.isNaN(values[6])).toBe(true);
    expect(values[7]).toBe(Number.POSITIVE_INFINITY);
    expect(expandSeriesValues('Inf+1x2')).toEqual([Infinity, Infinity, Infinity]);
  });

  it('marks one missing sample when the term is _', () => {
    expect(expandSeriesValues('1 _ 2')).toEqual([1, null, 2]);
  });

  it('marks n missing samples when the term is _xn, as promtool does', () => {
    expect(expandSeriesValues('1 _x3 5')).toEqual([1, null, null, null, 5]);
  });

  it('gives nothing when the term is _x0', () => {
    expect(expandSeriesValues('_x0 7')).toEqual([7]);
  });

  it('gives a staleness marker when the term is stale', () => {
    expect(expandSeriesValues('1 stale 2')).toEqual([1, 'stale', 2]);
  });

  it('keeps only the first sample stale when a step follows stale, as Go arithmetic does', () => {
    const values = expandSeriesValues('stale+1x2');
    expect(values[0]).toBe('stale');
    expect(values.slice(1).every((value) => Number.isNaN(value))).toBe(true);
  });

  it('accepts repeated, leading and trailing whitespace when terms are spread out', () => {
    expect(expandSeriesValues('  1   2\t3\n4  ')).toEqual([1, 2, 3, 4]);
    expect(expandSeriesValues('')).toEqual([]);
  });

  it('reads numbers the way Go parses them when they have leading zeros or a bare dot', () => {
    expect(expandSeriesValues('010 08 0010.5 1. .5 +1')).toEqual([8, 8, 10.5, 1, 0.5, 1]);
    expect(expandSeriesValues('0x10')).toHaveLength(11);
    expect(expandSeriesValues('1x010')).toHaveLength(11);
  });

  it('treats a term with a sign but no space as a new term when the sign follows a space', () => {
    expect(expandSeriesValues('1 +2x3')).toEqual([1, 2, 2, 2, 2]);
  });

  it.each([
    ['1+2', 1, 4, "'x' and a count"],
    ['1x', 1, 3, "a whole number after 'x'"],
    ['x3', 1, 1, 'a number or stale'],
    ['1+x3', 1, 3, "a number after '+' (the step)"],
    ['1 2 1x1.5', 3, 7, "a whole number after 'x'"],
    ['5x1e2', 1, 3, "a whole number after 'x'"],
    ['1x-1', 1, 3, "a whole number after 'x'"],
    ['1x3x2', 1, 4, 'a space before the next term'],
    ['Infx2', 1, 1, 'a number or stale'],
    ['stalex2', 1, 1, 'a number or stale'],
    ['Stale', 1, 1, 'a number or stale'],
    ['Infinity', 1, 1, 'a number or stale'],
    ['1 1-+2x1', 2, 5, "a number after '-' (the step)"],
    ['_+1x2', 1, 2, "'x' after '_'"],
    ['- 1', 1, 2, 'a number or stale'],
    ['0xff', 1, 3, "a whole number after 'x'"],
  ])('names the term and character when %j is malformed', (text, term, character, expected) => {
    const error = errorOf(text);
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.message).toContain(`term ${term} `);
    expect(error.message).toContain(`expected ${expected}`);
    expect(error.message).toContain(`(at character ${character})`);
    expect(error.details.character).toBe(character);
    expect(error.fix).toContain('a+bxn, a-bxn, axn, _, _xn or stale');
  });

  it.each([
    ['1,2', 2, "unexpected character ','"],
    ['1_000', 1, "bad number '1_000'"],
    ['1e', 1, "'1e' is not a number"],
    ['1 1e400', 3, "'1e400' is not a number"],
    ['{{schema:1 sum:2}}', 1, 'native histogram'],
  ])('names the character when %j cannot be read as numbers', (text, character, problem) => {
    const error = errorOf(text);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(`(at character ${character})`);
  });

  it('refuses a series when it would hold more than the sample limit', () => {
    expect(() => expandSeriesValues(`1x${MAX_SAMPLES}`)).toThrow(/more than 1000000 samples/);
    expect(() => expandSeriesValues(`1x${MAX_SAMPLES / 2} 1x${MAX_SAMPLES / 2}`)).toThrow(/term 2/);
    expect(expandSeriesValues(`_x${MAX_SAMPLES - 1} 1`)).toHaveLength(MAX_SAMPLES);
  });
});

describe('expandSeriesValues with @now times', () => {
  const now = new Date('2025-03-04T05:06:07Z');
  const nowSeconds = now.getTime() / 1000;

  it('gives the Unix time in seconds of the instant when a value is @now-<duration> or @now+<duration>', () => {
    expect(expandSeriesValues('@now-3h', { now })).toEqual([nowSeconds - 3 * 3600]);
    expect(expandSeriesValues('@now+30d', { now })).toEqual([nowSeconds + 30 * 86_400]);
    expect(expandSeriesValues('@now', { now })).toEqual([nowSeconds]);
    expect(expandSeriesValues('@now-1h30m', { now })).toEqual([nowSeconds - 5400]);
    expect(expandSeriesValues('@now-1500ms', { now })).toEqual([nowSeconds - 1.5]);
  });

  it('repeats the timestamp when the time is followed by xn, as a start time stays fixed', () => {
    expect(expandSeriesValues('@now-2hx3', { now })).toEqual(Array(4).fill(nowSeconds - 7200));
  });

  it('steps from the timestamp when the time is followed by +bxn or -bxn', () => {
    expect(expandSeriesValues('@now-1m+30x2', { now })).toEqual([nowSeconds - 60, nowSeconds - 30, nowSeconds]);
    expect(expandSeriesValues('@now+0s+30x1', { now })).toEqual([nowSeconds, nowSeconds + 30]);
    expect(expandSeriesValues('@now+1d-1x1', { now })).toEqual([nowSeconds + 86_400, nowSeconds + 86_399]);
  });

  it('mixes times with other terms when they are separated by spaces', () => {
    expect(expandSeriesValues('_x2 @now-5m 0 stale', { now })).toEqual([null, null, nowSeconds - 300, 0, 'stale']);
  });

  it.each([
    ['@now-1.5h', "'@now-1.5h' is not a time"],
    ['@now-90x5', "'@now-90' is not a time"],
    ['@now-5m5h', 'expected a Prometheus duration'],
    ['@then', "'@then' is not a time"],
    ['-@now', 'a number or stale'],
    ['1+@nowx2', "a number after '+' (the step)"],
    ['@now-5mx', "a whole number after 'x'"],
  ])('names the problem when %j is not a time term promtool notation can carry', (text, problem) => {
    expect(() => expandSeriesValues(text, { now })).toThrow(problem);
  });

  it('refuses a time when no load time is given', () => {
    expect(() => expandSeriesValues('@now-1h')).toThrow("'@now-1h' needs the scenario's load time");
  });
});
