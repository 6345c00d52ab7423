import Mustache from 'mustache';
import { HolmesError } from '../core/errors.js';
import type { Entities, Evidence } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import { judgeCheck } from '../runbooks/judge-check.js';
import { renderPlainText } from '../runbooks/render-plain-text.js';
import type { CheckSpec } from '../runbooks/runbook-schema.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { renderPromql } from '../toolsets/render-promql.js';
import { asRegex } from '../toolsets/template-values.js';
import type { EntityFill, ParameterSpec } from '../toolsets/toolset-schema.js';
import { missingEntities, plainView, type EntityView } from './entity-view.js';

/** The scope every check of one investigation shares: entities, their template view, and times. */
export interface CheckScope {
  view: EntityView;
  entities: Entities;
  now: Date;
  /** When the alert started and how far back the incident window reaches, in ms. */
  alertStartMs: number;
  windowMs: number;
  /** The alert's rule expression (untrusted: only ever sent to Prometheus as a query), if it has one. */
  alertExpr?: string | undefined;
}

export interface CheckOutcome {
  evidence: Evidence;
  result: ToolResult | undefined;
}

/** What an `entity:` parameter of a tool gets from the investigation when a check leaves it out. */
function entityValue(fill: EntityFill, scope: CheckScope): unknown {
  const { entities } = scope;
  const names = (values: string[]) => (values.length > 0 ? values : undefined);
  switch (fill) {
    case 'workload':
      return entities.workload?.name;
    case 'workload_kind':
      return entities.workload?.kind;
    case 'pods':
      return names(entities.pods.map((pod) => pod.name));
    case 'nodes':
      return names(entities.nodes);
    case 'containers':
      return names(entities.containers);
    case 'api_key':
      return entities.apiKey;
    case 'alert_start':
      return new Date(scope.alertStartMs).toISOString();
    case 'alert_expr':
      return scope.alertExpr;
    default:
      return entities[fill];
  }
}

/**
 * A check's parameters for its tool. Each is escaped by the tool's own type: a `promql` parameter
 * (raw PromQL to the tool) is rendered by the PromQL renderer, a `regex` parameter gets literal
 * values regex-escaped, any other is plain text that the tool escapes where it uses it.
 * Parameters the tool fills from entities come from the investigation when the check omits them.
 */
function renderParams(
  check: CheckSpec,
  scope: CheckScope,
  specs: Record<string, ParameterSpec>,
): Record<string, unknown> {
  const { view } = scope;
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.entity && check.params[name] === undefined) {
      const value = entityValue(spec.entity, scope);
      if (value !== undefined) params[name] = value;
    }
  }
  for (const [name, value] of Object.entries(check.params)) {
    const type = specs[name]?.type;
    if (typeof value !== 'string') params[name] = value;
    else if (type === 'promql') params[name] = renderPromql(value, view);
    else if (type === 'regex')
      params[name] = Mustache.render(value, view, undefined, { escape: (item: unknown) => asRegex(item) });
    else params[name] = renderPlainText(value, plainView(view));
  }
  return params;
}

function unavailable(base: Omit<Evidence, 'verdict' | 'sentence' | 'tool' | 'facts'>, tool: string, sentence: string) {
  return {
    result: undefined,
    evidence: {
      ...base,
      verdict: 'unavailable' as const,
      sentence,
      tool: { toolset: '', tool, params: {}, status: 'error' as const, text: '', requests: [] },
      facts: {},
    },
  };
}

/** Runs one runbook check: the tool call, its facts, and a verdict with a sentence for a human. */
export async function evaluateCheck(
  runbookId: string,
  check: CheckSpec,
  scope: CheckScope,
  toolbox: Toolbox,
  cache: Map<string, Promise<ToolResult>>,
): Promise<CheckOutcome> {
  const { view } = scope;
  const base = { runbook: runbookId, check: check.id, weight: check.weight, required: check.required };
  const spec = toolbox
    .tools()
    .find((tool) => tool.spec.name === check.tool || `${tool.toolset}/${tool.spec.name}` === check.tool);
  const missing = missingEntities(check.needs ?? spec?.spec.needs ?? [], view);
  if (missing.length > 0)
    return unavailable(
      base,
      check.tool,
      `${check.description}: not checked — could not resolve ${missing.join(', ')} from the alert.`,
    );
  let params: Record<string, unknown>;
  try {
    params = renderParams(check, scope, spec?.spec.parameters ?? {});
  } catch (error) {
    // A value that cannot be placed safely (a hostile label) makes the check unavailable, never a different query.
    if (!HolmesError.isInstance(error) || error.code !== 'TEMPLATE_UNSAFE') throw error;
    return unavailable(
      base,
      check.tool,
      `${check.description}: not checked — ${error.message} ${error.fix ?? ''}`.trim(),
    );
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
  const judgement = await judgeCheck(
    check,
    {
      data: result.data,
      status: result.status,
      entities: scope.entities,
      view: plainView(view),
      nowMs: scope.now.getTime(),
      alertStartMs: scope.alertStartMs,
      windowMs: scope.windowMs,
    },
    result.missing,
  );
  return {
    result,
    evidence: {
      ...base,
      ...judgement,
      tool,
      ...(result.missing ? { missing: result.missing } : {}),
      // Only a verdict the series decided is worth a picture.
      ...(result.graph && (judgement.verdict === 'supports' || judgement.verdict === 'contradicts')
        ? { graph: result.graph }
        : {}),
    },
  };
}
