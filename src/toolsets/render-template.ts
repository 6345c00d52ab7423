import Mustache from 'mustache';

/** Escapes a value for a double-quoted PromQL string: `{{value}}` is always safe to put in quotes. */
export function escapePromqlString(value: unknown): string {
  return String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Renders a query template: `{{name}}` inserts a parameter escaped for a PromQL string,
 * `{{{name}}}` inserts it raw (PromQL parameters), `{{#name}}…{{/name}}` keeps a part only when
 * the parameter is set (optional filters), `{{^name}}…{{/name}}` only when it is not.
 */
export function renderTemplate(template: string, params: Record<string, unknown>): string {
  return Mustache.render(template, params, undefined, { escape: escapePromqlString });
}
