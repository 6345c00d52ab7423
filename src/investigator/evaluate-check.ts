import jsonata from 'jsonata';
import type { Entities, Evidence, Verdict } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import { formatCompactNumber } from '../telemetry/format-compact-number.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import type { CheckSpec } from '../runbooks/runbook-schema.js';
import { missingEntities } from './entity-view.js';
import { renderText } from './render-text.js';

function renderParams(params: CheckSpec['params'], view: Record<string, string>): Record<string, unknown> {
  // Tool parameters are escaped by the tool itself where they enter PromQL, so render raw here.
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? renderText(value, view) : value]),
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
  view: Record<string, string>;
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
  const params = renderParams(check.params, view);
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
    view,
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
      ? renderText(template, { ...view, ...displayFacts(facts) })
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
