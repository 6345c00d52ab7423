import { describe, expect, it } from 'vitest';
import { describeParameters, toParameterSchema } from '../../src/toolsets/parameter-schema.js';
import type { ParameterSpec } from '../../src/toolsets/toolset-schema.js';

const spec = (fields: Partial<ParameterSpec> & Pick<ParameterSpec, 'type'>): ParameterSpec => ({
  description: 'a parameter',
  required: false,
  ...fields,
});

const PARAMETERS: Record<string, ParameterSpec> = {
  namespace: spec({ type: 'label_value', required: true }),
  top_k: spec({ type: 'integer', minimum: 1, maximum: 50, default: 10 }),
  threshold: spec({ type: 'number', minimum: 0, maximum: 1 }),
  previous: spec({ type: 'boolean', default: false }),
  window: spec({ type: 'duration', default: '1h' }),
  by: spec({ type: 'enum', values: ['team', 'model'], default: 'team' }),
  filter: spec({ type: 'regex' }),
};

function issuesOf(input: Record<string, unknown>): Array<{ path: string; message: string }> {
  const parsed = toParameterSchema(PARAMETERS).safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('toParameterSchema', () => {
  it('fills defaults and keeps typed values when a model passes them typed', () => {
    const parsed = toParameterSchema(PARAMETERS).parse({ namespace: 'llm', threshold: 0.2, previous: true });

    expect(parsed).toEqual({ namespace: 'llm', top_k: 10, threshold: 0.2, previous: true, window: '1h', by: 'team' });
  });

  it('coerces strings from `--param k=v` into numbers and booleans', () => {
    const parsed = toParameterSchema(PARAMETERS).parse({
      namespace: 'llm',
      top_k: '25',
      threshold: '0.5',
      previous: 'true',
    });

    expect(parsed).toMatchObject({ top_k: 25, threshold: 0.5, previous: true });
  });

  it('refuses a non-integer, a value outside minimum/maximum, and a non-numeric string', () => {
    expect(issuesOf({ namespace: 'llm', top_k: 2.5 }).map((issue) => issue.path)).toEqual(['top_k']);
    expect(issuesOf({ namespace: 'llm', top_k: 0 })).toEqual([
      { path: 'top_k', message: expect.stringMatching(/>=\s*1/) },
    ]);
    expect(issuesOf({ namespace: 'llm', top_k: '51' })).toEqual([
      { path: 'top_k', message: expect.stringMatching(/<=\s*50/) },
    ]);
    expect(issuesOf({ namespace: 'llm', threshold: 'high' }).map((issue) => issue.path)).toEqual(['threshold']);
  });

  it('accepts only the listed values of an enum and the words true/false for a boolean', () => {
    expect(toParameterSchema(PARAMETERS).parse({ namespace: 'llm', by: 'model' }).by).toBe('model');
    expect(issuesOf({ namespace: 'llm', by: 'pod' })).toEqual([
      { path: 'by', message: expect.stringContaining('"team"') },
    ]);
    expect(issuesOf({ namespace: 'llm', previous: 'yes' }).map((issue) => issue.path)).toEqual(['previous']);
  });

  it('accepts Prometheus durations and valid regular expressions only', () => {
    expect(
      toParameterSchema(PARAMETERS).parse({ namespace: 'llm', window: '1h30m', filter: 'error|oom' }),
    ).toMatchObject({ window: '1h30m', filter: 'error|oom' });
    expect(issuesOf({ namespace: 'llm', window: '90 minutes' })).toEqual([
      { path: 'window', message: expect.stringContaining('Prometheus duration') },
    ]);
    expect(issuesOf({ namespace: 'llm', filter: '(unclosed' })).toEqual([
      { path: 'filter', message: 'a valid regular expression' },
    ]);
  });

  it('refuses a missing required parameter, an empty string and an unknown parameter', () => {
    expect(issuesOf({}).map((issue) => issue.path)).toEqual(['namespace']);
    expect(issuesOf({ namespace: '' }).map((issue) => issue.path)).toEqual(['namespace']);
    const parsed = toParameterSchema(PARAMETERS).safeParse({ namespace: 'llm', namespcae: 'llm' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['namespcae'] });
  });
});

describe('describeParameters', () => {
  it('names each parameter with its type, range, allowed values, requiredness and default', () => {
    const text = describeParameters(PARAMETERS);

    expect(text).toContain('namespace (label_value, required)');
    expect(text).toContain('top_k (integer 1-50, default 10)');
    expect(text).toContain('by (one of team|model, default team)');
  });

  it('says so when a tool takes no parameters', () => {
    expect(describeParameters({})).toBe('this tool takes no parameters');
  });
});
