import { HolmesError } from '../../core/errors.js';
import { renderPromql } from '../render-promql.js';
import { ListValue, RegexValue } from '../template-values.js';
import type { ToolContext } from '../tool-context.js';
import { queryMetrics } from './query-metrics.js';
import { gatewayTeamId, telemetryProfile, type TelemetryProfile } from './telemetry-profile.js';
import { ourPodsRegex, type WorkloadScope } from './workload-scope.js';

/*
 * A named signal (toolsets' `signals:`) rendered for one call: the dialects this cluster collects,
 * the alert's entities and scope in this cluster's label names. signal_change, version_change and
 * llm_client_growth read their series through it.
 */

/** The workload labels of DCGM series in this cluster's dialect (the gpu-operator's ServiceMonitor prefixes them). */
export function podLabels(query: string, profile: TelemetryProfile) {
  const dcgm = queryMetrics(query).some((name) => name.startsWith('DCGM_'));
  return dcgm && profile.dcgm.workloadLabels === 'exported'
    ? { namespace: 'exported_namespace', pod: 'exported_pod', container: 'exported_container' }
    : { namespace: 'namespace', pod: 'pod', container: 'container' };
}

/**
 * `{{{team_scope}}}`: the gateway series of the alert's team, found by its id or its alias, or of its
 * API key when the alert names no team; `negate` selects every other team's.
 */
export function teamScope(params: Record<string, unknown>, profile: TelemetryProfile, negate = false) {
  const team = typeof params.team === 'string' ? gatewayTeamId(profile, params.team) : undefined;
  if (team) return renderPromql(`team${negate ? '!=' : '='}"{{team}}"`, { team });
  if (typeof params.api_key === 'string')
    return renderPromql(`api_key_alias${negate ? '!=' : '='}"{{api_key}}"`, { api_key: params.api_key });
  return undefined;
}

/** What a signal's query template can name: the entities, escaped by the renderer, and the dialect's label names. */
export function templateView(
  params: Record<string, unknown>,
  scope: WorkloadScope | undefined,
  names: ReturnType<typeof podLabels>,
  profile?: TelemetryProfile,
) {
  return {
    namespace: params.namespace,
    workload: params.workload,
    pods: scope ? new RegexValue(ourPodsRegex(scope)) : undefined,
    nodes: Array.isArray(params.nodes) ? new ListValue(params.nodes as string[]) : undefined,
    team: typeof params.team === 'string' && profile ? gatewayTeamId(profile, params.team) : params.team,
    api_key: params.api_key,
    model: params.model,
    namespace_label: names.namespace,
    pod_label: names.pod,
    container_label: names.container,
  };
}

/** `{{{scope}}}`: the workload's pods (or, with others, its whole namespace) in this dialect's labels. */
export function scopeSelector(
  params: Record<string, unknown>,
  scope: WorkloadScope | undefined,
  names: ReturnType<typeof podLabels>,
) {
  const view = templateView(params, scope, names);
  if (scope && params.others !== true)
    return renderPromql('{{namespace_label}}="{{namespace}}", {{pod_label}}=~"{{pods}}"', view);
  if (typeof params.namespace === 'string') return renderPromql('{{namespace_label}}="{{namespace}}"', view);
  return renderPromql('{{namespace_label}}!=""', view);
}

export function scopeOf(params: Record<string, unknown>): WorkloadScope | undefined {
  const namespace = typeof params.namespace === 'string' ? params.namespace : undefined;
  const pods = Array.isArray(params.pods) ? (params.pods as string[]) : [];
  const workload = typeof params.workload === 'string' ? params.workload : undefined;
  return namespace && (pods.length > 0 || workload) ? { namespace, workload, pods } : undefined;
}

/** Entities a query template names that a call may lack: a dialect that needs one it lacks is skipped. */
const ENTITY_SLOTS: Array<[RegExp, (params: Record<string, unknown>) => boolean]> = [
  [/\{\{\{?team_scope\}?\}\}/, (params) => typeof params.team === 'string' || typeof params.api_key === 'string'],
  [/\{\{team\}\}/, (params) => typeof params.team === 'string'],
  [/\{\{api_key\}\}/, (params) => typeof params.api_key === 'string'],
  [/\{\{model\}\}/, (params) => typeof params.model === 'string'],
  [/\{\{nodes\}\}/, (params) => Array.isArray(params.nodes) && params.nodes.length > 0],
];

/** A dialect of a signal rendered for a call: its entities, this cluster's label names, and the scope. */
export function renderSignalQuery(
  variant: string,
  params: Record<string, unknown>,
  profile: TelemetryProfile,
  overrides: Record<string, unknown> = {},
): string {
  const scope = scopeOf(params);
  const names = podLabels(variant, profile);
  return renderPromql(variant, {
    ...templateView(params, scope, names, profile),
    scope: scopeSelector(params, scope, names),
    team_scope: teamScope(params, profile),
    ...overrides,
  });
}

export async function readSignal(
  name: string,
  params: Record<string, unknown>,
  context: ToolContext,
  options: { anyEntities?: boolean } = {},
) {
  const spec = context.signals.get(name);
  if (!spec) {
    throw new HolmesError('TOOL_PARAMS_INVALID', `Unknown signal '${name}'.`, {
      fix: `Use one of: ${[...context.signals.keys()].sort().join(', ')}.`,
    });
  }
  const prometheus = context.prometheus;
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  const now = context.now();
  const profile = await telemetryProfile(prometheus, now);
  // Dialects whose metrics this cluster has, in the signal's order of preference.
  const collected = spec.queries.filter((query) => queryMetrics(query).every((metric) => profile.metrics.has(metric)));
  // A caller that fills the entity slots itself (a gateway-wide view) takes every collected dialect.
  const variants = options.anyEntities
    ? collected
    : collected.filter((query) => ENTITY_SLOTS.every(([slot, given]) => !slot.test(query) || given(params)));
  return { spec, prometheus, now, profile, variants, collected: collected.length > 0 };
}
