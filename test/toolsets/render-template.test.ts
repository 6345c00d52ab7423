import { describe, expect, it } from 'vitest';
import { escapePromqlString } from '../../src/toolsets/render-promql.js';
import { renderTemplate } from '../../src/toolsets/render-template.js';

/** The value of the first double-quoted PromQL string in `text`, read the way PromQL reads it. */
function firstStringLiteral(text: string): { value: string; rest: string } {
  const match = /"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!match) throw new Error(`no string literal in ${text}`);
  // PromQL double-quoted strings use Go escapes; for \\, \" and \n they are JSON's.
  return { value: JSON.parse(`"${match[1]}"`) as string, rest: text.slice(match.index + match[0].length) };
}

describe('renderTemplate', () => {
  it('escapes quotes and backslashes so a parameter cannot leave its PromQL string', () => {
    const hostile = 'llm"} or vector(1) or up{job="\\';
    const query = renderTemplate('sum(rate(x{namespace="{{namespace}}"}[5m]))', { namespace: hostile });

    const literal = firstStringLiteral(query);
    expect(literal.value).toBe(hostile);
    expect(literal.rest).toBe('}[5m]))');
  });

  it('escapes newlines and keeps a trailing backslash inside the string', () => {
    const query = renderTemplate('x{pod="{{pod}}"}', { pod: 'a\nb\\' });

    expect(query).toBe('x{pod="a\\nb\\\\"}');
    expect(firstStringLiteral(query).value).toBe('a\nb\\');
  });

  it('keeps a section only when its parameter is set, and an inverted section only when it is not', () => {
    const template = 'x{ {{#node}}Hostname="{{node}}",{{/node}}{{^node}}scope="all",{{/node}}job="dcgm" }';

    expect(renderTemplate(template, { node: 'gpu-1' })).toBe('x{ Hostname="gpu-1",job="dcgm" }');
    expect(renderTemplate(template, {})).toBe('x{ scope="all",job="dcgm" }');
  });

  it('inserts a triple-stash parameter as is, for PromQL parameters', () => {
    expect(renderTemplate('{{{query}}}', { query: 'sum by (pod) (up{job="a"})' })).toBe('sum by (pod) (up{job="a"})');
  });

  it('renders numbers and durations without quoting them', () => {
    expect(renderTemplate('x[{{window}}] < {{threshold}}', { window: '15m', threshold: 0.05 })).toBe('x[15m] < 0.05');
  });
});

describe('escapePromqlString', () => {
  it('leaves ordinary label values unchanged', () => {
    expect(escapePromqlString('meta-llama/Llama-3.1-70B-Instruct')).toBe('meta-llama/Llama-3.1-70B-Instruct');
  });
});
