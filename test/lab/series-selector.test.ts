import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { parseSeriesSelector } from '../../src/lab/series-selector.js';

function errorOf(text: string): HolmesError {
  try {
    parseSeriesSelector(text);
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to be rejected`);
}

describe('parseSeriesSelector', () => {
  it('splits the metric from its labels when the series is name{a="b",c="d"}', () => {
    expect(parseSeriesSelector('DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="gpu-node-1"}')).toEqual({
      metric: 'DCGM_FI_DEV_GPU_UTIL',
      labels: { gpu: '0', Hostname: 'gpu-node-1' },
    });
  });

  it('keeps colons when the metric name has them', () => {
    expect(parseSeriesSelector('vllm:num_requests_running{model_name="llama"}')).toEqual({
      metric: 'vllm:num_requests_running',
      labels: { model_name: 'llama' },
    });
  });

  it('takes the metric from __name__ when the name is inside the braces', () => {
    expect(parseSeriesSelector('{__name__="http_requests_total",code="200"}')).toEqual({
      metric: 'http_requests_total',
      labels: { code: '200' },
    });
  });

  it('reads a bare name and empty braces when there are no labels', () => {
    expect(parseSeriesSelector('up')).toEqual({ metric: 'up', labels: {} });
    expect(parseSeriesSelector('up{}')).toEqual({ metric: 'up', labels: {} });
  });

  it('accepts a trailing comma and spaces when the series is hand-written', () => {
    expect(parseSeriesSelector(' up { job = "node" , instance="a:9100", } ')).toEqual({
      metric: 'up',
      labels: { job: 'node', instance: 'a:9100' },
    });
  });

  it('unescapes quotes and backslashes when values are double- or single-quoted', () => {
    expect(parseSeriesSelector(String.raw`m{a="say \"hi\"",b='it\'s',c="back\\slash",d="tab\tnew\nline"}`)).toEqual({
      metric: 'm',
      labels: { a: 'say "hi"', b: "it's", c: 'back\\slash', d: 'tab\tnew\nline' },
    });
  });

  it('decodes Go escapes when values use \\x, octal, \\u and \\U', () => {
    expect(parseSeriesSelector(String.raw`m{a="\x41\101\u00e9\U0001F600"}`).labels.a).toBe('AAé😀');
  });

  it('keeps backslashes as written when the value is a backtick string', () => {
    expect(parseSeriesSelector('m{a=`C:\\path\\n`}').labels.a).toBe('C:\\path\\n');
  });

  it('drops a label when its value is empty, as Prometheus treats it as absent', () => {
    expect(parseSeriesSelector('m{a="",b="x"}')).toEqual({ metric: 'm', labels: { b: 'x' } });
  });

  it.each([
    ['{}', 1, 'a series needs a metric name'],
    ['{job="x"}', 1, 'a series needs a metric name'],
    ['m{a="b"', 8, 'expected "," or "}"'],
    ['m{a="b"} 1', 10, 'expected the end of the series'],
    ['m{a="b",a="c"}', 9, 'label a is given twice'],
    ['m{__name__="n"}', 3, 'label __name__ is given twice'],
    ['{__name__="1bad"}', 1, "'1bad' is not a valid metric name"],
    ['m{a=b}', 5, 'expected a quoted label value'],
    ['m{"a"="b"}', 3, 'expected a label name or "}"'],
    ['m{a:b="c"}', 4, 'expected "=" after label name a'],
    ['m{a="unterminated}', 5, 'unterminated quoted string'],
    [String.raw`m{a="\q"}`, 6, String.raw`unknown escape \q`],
    [String.raw`m{a="it\'s"}`, 8, 'unknown escape'],
    [String.raw`m{a="\xff"}`, 5, 'not valid UTF-8'],
    ['m{a="line\nbreak"}', 5, 'unterminated quoted string'],
  ])('says what and where when %j is malformed', (text, character, problem) => {
    const error = errorOf(text);
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.message).toContain(problem);
    expect(error.message).toContain(`(at character ${character})`);
    expect(error.fix).toContain('metric_name{label="value"');
  });
});
