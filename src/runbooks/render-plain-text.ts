import Mustache from 'mustache';

/** Mustache without HTML escaping: runbook sentences and remediation are plain text. */
export function renderPlainText(template: string, view: Record<string, unknown>): string {
  return Mustache.render(template, view, undefined, { escape: (value: unknown) => String(value) });
}
