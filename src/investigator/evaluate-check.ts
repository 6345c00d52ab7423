import jsonata from 'jsonata';
import Mustache from 'mustache';
import { HolmesError } from '../core/errors.js';
import { renderPromql } from '../toolsets/render-promql.js';
import { asRegex } from '../toolsets/template-values.js';
import type { ParameterSpec } from '../toolsets/toolset-schema.js';
import type { Entities, Evidence, Verdict } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import { formatCompactNumber } from '../telemetry/format-compact-number.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import type { CheckSpec } from '../runbooks/runbook-schema.js';
import { missingEntities, plainView, type EntityView } from './entity-view.js';
import { renderText } from './render-text.js';

/**
 * A check's parameters for its tool. Each is escaped by the tool's own type: a `promql` parameter
 * (raw PromQL to the tool) is rendered by the PromQL renderer, a `regex` parameter gets literal
 * values regex-escaped, any other is plain text that the tool escapes where it uses it.
 */
function renderParams(
  params: CheckSpec['params'],
  view: EntityView,
  specs: Record<string, ParameterSpec>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => {
      if (typeof value !== 'string') return [name, value];
      const type = specs[name]?.type;
      if (type === 'promql') return [name, renderPromql(value, view)];
      if (type === 'regex')
        return [name, Mustache.render(value, view, undefined, { escape: (item: unknown) => asRegex(item) })];
      return [name, renderText(value, plainView(view))];
    }),
  );
}

/** Facts as a template sees them: numbers compact, ratios also as `<name>_pct`. */
function displayFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    if (typeof value === 'number') {
      shown[name] = formatCompactNumber(value);
      shown[`${name}_pct`] = `${formatCompactNumber(value * 100)}%`;
    } else if (Array.isArray(value)) {
      // Intermediate facts may be lists of records (JSONata objects have no prototype): shown as JSON.
      shown[name] = value
        .map((item: unknown) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item)))
        .join(', ');
    } else if (typeof value === 'object' && value !== null) shown[name] = JSON.stringify(value);
    else shown[name] = value ?? '';
  }
  return shown;
}

async function evaluate(expression: string, input: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  const value = await jsonata(expression).evaluate(input, bindings);
  // JSONata sequences are arrays with a marker; make them plain.
  return Array.isArray(value) ? [...value] : value;
}

export interface CheckOutcome {
  evidence: Evidence;
  result: ToolResult | undefined;
}

/** Runs one runbook check: the tool call, its facts, and a verdict with a sentence for a human. */
export interface CheckScope {
  view: EntityView;
  entities: Entities;
  now: Date;
  /** When the alert started and how far back the incident window reaches, in ms, for time arithmetic in JSONata. */
  alertStartMs: number;
  windowMs: number;
}

export async function evaluateCheck(
  runbookId: string,
  check: CheckSpec,
  scope: CheckScope,
  toolbox: Toolbox,
  cache: Map<string, Promise<ToolResult>>,
): Promise<CheckOutcome> {
  const { view } = scope;
  const base = { runbook: runbookId, check: check.id, weight: check.weight, required: check.required };
  const missing = missingEntities(check.needs, view);
  if (missing.length > 0) {
    return {
      result: undefined,
      evidence: {
        ...base,
        verdict: 'unavailable',
        sentence: `${check.description}: not checked — could not resolve ${missing.join(', ')} from the alert.`,
        tool: { toolset: '', tool: check.tool, params: {}, status: 'error', text: '', requests: [] },
        facts: {},
      },
    };
  }
  let params: Record<string, unknown>;
  try {
    const spec = toolbox
      .tools()
      .find((tool) => tool.spec.name === check.tool || `${tool.toolset}/${tool.spec.name}` === check.tool);
    params = renderParams(check.params, view, spec?.spec.parameters ?? {});
  } catch (error) {
    // A value that cannot be placed safely (a hostile label) makes the check unavailable, never a different query.
    if (!HolmesError.isInstance(error) || error.code !== 'TEMPLATE_UNSAFE') throw error;
    return {
      result: undefined,
      evidence: {
        ...base,
        verdict: 'unavailable',
        sentence: `${check.description}: not checked — ${error.message} ${error.fix ?? ''}`.trim(),
        tool: { toolset: '', tool: check.tool, params: {}, status: 'error', text: '', requests: [] },
        facts: {},
      },
    };
  }
  // Identical calls from different runbooks are made once.
  const key = `${check.tool} ${JSON.stringify(params)}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = toolbox.run(check.tool, params);
    cache.set(key, pending);
  }
  const result = await pending;
  const tool = {
    toolset: result.toolset,
    tool: result.tool,
    params: result.params,
    status: result.status,
    text: result.text,
    requests: result.requests,
    ...(result.error ? { error: result.error } : {}),
  };
  if (result.status === 'error') {
    return {
      result,
      evidence: {
        ...base,
        verdict: 'unavailable',
        sentence: `${check.description}: not checked — ${result.error ?? result.text}`,
        tool,
        facts: {},
      },
    };
  }
  // What expressions see: the tool's data, the resolved entities (structured), their string view, and now.
  const input = {
    data: result.data,
    status: result.status,
    entities: scope.entities,
    view: plainView(view),
    nowMs: scope.now.getTime(),
    alertStartMs: scope.alertStartMs,
    windowMs: scope.windowMs,
  };
  const facts: Record<string, unknown> = {};
  try {
    for (const [name, expression] of Object.entries(check.facts))
      facts[name] = await evaluate(expression, input, facts);
    let verdict: Verdict = 'inconclusive';
    if ((await evaluate(check.supports, input, facts)) === true) verdict = 'supports';
    else if (check.contradicts && (await evaluate(check.contradicts, input, facts)) === true) verdict = 'contradicts';
    const template =
      check.explain[verdict === 'supports' ? 'supports' : verdict === 'contradicts' ? 'contradicts' : 'inconclusive'];
    const sentence = template
      ? renderText(template, { ...plainView(view), ...displayFacts(facts) })
      : `${check.description}: ${verdict === 'contradicts' ? 'not seen' : 'inconclusive'}.`;
    return { result, evidence: { ...base, verdict, sentence, tool, facts } };
  } catch (error) {
    return {
      result,
      evidence: {
        ...base,
        verdict: 'unavailable',
        sentence: `${check.description}: the runbook's expression failed (${(error as Error).message}).`,
        tool,
        facts,
      },
    };
  }
}
