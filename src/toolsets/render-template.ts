import { renderPromql } from './render-promql.js';
import { ListValue, RegexValue } from './template-values.js';
import type { ParameterSpec } from './toolset-schema.js';

/**
 * Renders a toolset's query template with a tool's validated parameters: `regex` parameters are
 * regexes, everything else a literal, each escaped by the PromQL renderer for where it lands.
 * `{{{name}}}` inserts a `promql` parameter raw (the whole expression is the caller's).
 */
export function renderTemplate(
  template: string,
  params: Record<string, unknown>,
  specs: Record<string, ParameterSpec> = {},
): string {
  const view = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name,
      specs[name]?.type === 'regex' && typeof value === 'string'
        ? new RegexValue(value)
        : specs[name]?.type === 'names' && Array.isArray(value)
          ? new ListValue(value.map(String))
          : value,
    ]),
  );
  return renderPromql(template, view);
}
