import type { RemediationStep } from '../core/investigation.js';
import { renderSentence } from '../runbooks/render-plain-text.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import { ListValue } from '../toolsets/template-values.js';
import { plainView, type EntityView } from './entity-view.js';
import { markMissing, renderShell } from './render-shell.js';

/**
 * The top runbook's fix for this incident: titles and details as sentences, commands with every
 * value one shell word. A step whose title renders empty (written inside a section such as
 * `{{#unauthorized}}…{{/unauthorized}}`) does not apply here and is left out.
 */
export function renderRemediation(
  runbook: Pick<Runbook, 'remediation'>,
  view: EntityView,
  facts: Record<string, unknown>,
): RemediationStep[] {
  const text = { ...plainView(view), ...textFacts(facts) };
  const commandView = { ...view, ...commandFacts(facts) };
  return runbook.remediation.flatMap((entry): RemediationStep[] => {
    const title = renderSentence(entry.title, text).trim();
    if (!title) return [];
    const command = entry.command ? renderShell(markMissing(entry.command, commandView), commandView) : undefined;
    return [
      {
        title,
        ...(command ? { command: command.trimEnd() } : {}),
        ...(entry.details ? { details: renderSentence(entry.details, text) } : {}),
      },
    ];
  });
}

// Lists of records (intermediate facts, prototype-less JSONata objects) are shown as JSON, not joined.
const shown = (value: unknown) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value);

/** Facts for sentences: lists joined, records as JSON. */
function textFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(facts).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((item) => String(shown(item))).join(', ') : shown(value),
    ]),
  );
}

/** Facts for commands: a list of values is one shell word each; a list of records feeds a {{#section}}. */
function commandFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(facts).map(([key, value]) => [
      key,
      Array.isArray(value) && value.length > 0 && value.every((item) => typeof item !== 'object' || item === null)
        ? new ListValue(value.map(String))
        : value,
    ]),
  );
}
