/**
 * Tool calls for a scenario, derived generically from its alert (namespace, pod, node, team,
 * model, service, job) and, for parameters a tool requires, from its Kubernetes objects and logs
 * — never from literals about one scenario. Shared by the toolset integration tests and the
 * token benchmark (scripts/bench/toolset-tokens.ts), so both measure the same calls.
 */
import type { KubeObject } from '../../src/core/kube-object.js';
import type { Scenario } from '../../src/lab/scenario.js';
import type { ToolDescriptor } from '../../src/toolsets/create-toolbox.js';
import type { ParameterSpec } from '../../src/toolsets/toolset-schema.js';

export interface ToolCall {
  tool: string;
  params: Record<string, unknown>;
  /** Why this call: `base` for the one call every tool gets, else the variant exercised. */
  purpose: string;
}

/** A pod a tool can be pointed at when it requires one. */
export interface FocusPod {
  namespace: string;
  name: string;
  nodeName?: string;
  /** A container with a log in the scenario, passed when the pod has several containers. */
  container?: string;
  containerCount: number;
  /** The scenario has a log of the container's previous (crashed) instance. */
  hasPreviousLog: boolean;
}

/** What the alert names, plus the pod chosen for required parameters. */
export interface ScenarioFocus {
  /** Labels taken from the alert as they are (only these narrow optional parameters). */
  alertNamespace?: string;
  alertPod?: string;
  alertNode?: string;
  team?: string;
  model?: string;
  /** Namespace for required parameters: the alert's, else the focus pod's. */
  namespace?: string;
  pod?: FocusPod;
  /** A case-insensitive regex on metric names the scenario's alert is about. */
  metricPattern: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NODE_LABELS = ['node', 'Hostname', 'hostname', 'kubernetes_node', 'exported_node', 'instance'];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first metric name of the alert's expression (generatorURL g0.expr), if it has one. */
function alertMetric(scenario: Scenario): string | undefined {
  const url = scenario.alert.generatorURL;
  if (!url) return undefined;
  let expression: string | null = null;
  try {
    expression = new URL(url).searchParams.get('g0.expr');
  } catch {
    return undefined;
  }
  const known = new Set(scenario.series.map((series) => series.metric));
  const names = expression?.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return (
    names.find((name) => known.has(name) || known.has(`${name}_bucket`)) ??
    names.find((name) => known.has(name.replace(/_bucket$/, '')))
  );
}

/** The metric family prefix (`vllm:`, `DCGM_`, `litellm_`) of the alert's metric or the first series. */
function metricPattern(scenario: Scenario): string {
  const metric = alertMetric(scenario) ?? scenario.series[0]?.metric ?? '';
  const prefix = /^[a-zA-Z]+[:_]/.exec(metric)?.[0];
  return prefix ? `^${escapeRegex(prefix)}` : '.';
}

function podScore(pod: KubeObject, scenario: Scenario, services: KubeObject[]): number {
  const labels = scenario.alert.labels;
  const namespace = pod.metadata.namespace ?? '';
  const podLabels = pod.metadata.labels ?? {};
  let score = 0;
  if (labels.namespace && namespace === labels.namespace) score += 8;
  if (!labels.namespace && labels.team) {
    const namespaceObject = scenario.objects.find(
      (object) => object.kind === 'Namespace' && object.metadata.name === namespace,
    );
    if (podLabels.team === labels.team || namespaceObject?.metadata.labels?.team === labels.team) score += 8;
  }
  if (scenario.logs.some((log) => log.namespace === namespace && log.pod === pod.metadata.name)) score += 4;
  const service = labels.service
    ? services.find((entry) => entry.metadata.name === labels.service && entry.metadata.namespace === namespace)
    : undefined;
  const selector = ((service?.spec as Json | undefined)?.selector ?? {}) as Record<string, string>;
  if (service && Object.entries(selector).every(([key, value]) => podLabels[key] === value)) score += 2;
  if (
    labels.job_name &&
    (podLabels['job-name'] === labels.job_name || podLabels['batch.kubernetes.io/job-name'] === labels.job_name)
  )
    score += 2;
  if (pod.metadata.ownerReferences?.some((owner) => owner.kind === 'ReplicaSet')) score += 1;
  return score;
}

/** The alert's own labels, and the pod best matching it for parameters a tool requires. */
export function scenarioFocus(scenario: Scenario): ScenarioFocus {
  const labels = scenario.alert.labels;
  const nodeLabel = NODE_LABELS.find((name) => labels[name]);
  const alertNode = nodeLabel ? labels[nodeLabel]!.replace(/:\d+$/, '') : undefined;
  const pods = scenario.objects.filter((object) => object.kind === 'Pod');
  const services = scenario.objects.filter((object) => object.kind === 'Service');
  const named = labels.pod ? pods.find((pod) => pod.metadata.name === labels.pod) : undefined;
  const ranked = pods
    .map((pod, index) => ({ pod, index, score: podScore(pod, scenario, services) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen = named ?? ranked[0]?.pod;
  let pod: FocusPod | undefined;
  if (chosen) {
    const namespace = chosen.metadata.namespace ?? 'default';
    const spec = (chosen.spec ?? {}) as Json;
    const containers = (spec.containers ?? []) as Json[];
    const logs = scenario.logs.filter((entry) => entry.namespace === namespace && entry.pod === chosen.metadata.name);
    const alertContainer = chosen === named && labels.container ? labels.container : undefined;
    const container =
      alertContainer ?? logs.find((entry) => !entry.previous)?.container ?? logs[0]?.container ?? containers[0]?.name;
    pod = {
      namespace,
      name: chosen.metadata.name,
      ...(spec.nodeName ? { nodeName: String(spec.nodeName) } : {}),
      ...(container ? { container: String(container) } : {}),
      containerCount: containers.length,
      hasPreviousLog: logs.some((entry) => entry.previous && entry.container === container),
    };
  }
  const namespace = labels.namespace ?? pod?.namespace;
  return {
    ...(labels.namespace ? { alertNamespace: labels.namespace } : {}),
    ...(labels.pod ? { alertPod: labels.pod } : {}),
    ...(alertNode ? { alertNode } : {}),
    ...(labels.team ? { team: labels.team } : {}),
    ...(labels.model_name ? { model: labels.model_name } : {}),
    ...(namespace ? { namespace } : {}),
    ...(pod ? { pod } : {}),
    metricPattern: metricPattern(scenario),
  };
}

function selector(focus: ScenarioFocus): string {
  return focus.namespace ? `{namespace="${focus.namespace}"}` : '{__name__=~".+"}';
}

/**
 * A value for one parameter, by its name and type: optional parameters only from the alert's
 * own labels (so a filter never hides what the alert is about), required ones from the focus.
 */
function valueFor(name: string, spec: ParameterSpec, focus: ScenarioFocus): unknown {
  const required = spec.required;
  switch (name) {
    case 'namespace':
      return required ? focus.namespace : focus.alertNamespace;
    case 'pod':
      if (spec.type === 'regex') return focus.alertPod ? `^${escapeRegex(focus.alertPod)}$` : undefined;
      return required ? (focus.alertPod ?? focus.pod?.name) : focus.alertPod;
    case 'node':
      if (focus.alertNode) return spec.type === 'regex' ? `^${escapeRegex(focus.alertNode)}$` : focus.alertNode;
      return required ? focus.pod?.nodeName : undefined;
    case 'team':
      return focus.team;
    case 'model':
      return focus.model;
    case 'container':
      return required || (focus.pod && focus.pod.containerCount > 1) ? focus.pod?.container : undefined;
    case 'kind':
      return required ? 'Pod' : undefined;
    case 'name':
      return required ? focus.pod?.name : undefined;
    case 'label':
      return required ? 'pod' : undefined;
    case 'signal':
      // A signal every workload has; each signal's dialects have their own tests.
      return spec.values?.includes('restarts') ? 'restarts' : spec.values?.[0];
    case 'query':
      return spec.type === 'promql' && required ? `count by (__name__) (${selector(focus)})` : undefined;
    case 'match':
      if (spec.type === 'regex') return required ? focus.metricPattern : undefined;
      return spec.type === 'promql' || spec.type === 'selector' ? selector(focus) : undefined;
    default:
      return undefined;
  }
}

/** Variants worth measuring beyond the base call: other kinds, a filtered log, a short tail. */
function variants(tool: string, base: Record<string, unknown>, focus: ScenarioFocus): ToolCall[] {
  const pod = focus.pod;
  switch (tool) {
    case 'kubernetes_list':
      return [
        { tool, params: { ...base, kind: 'Deployment' }, purpose: 'deployments' },
        { tool, params: { kind: 'Node' }, purpose: 'nodes' },
      ];
    case 'kubernetes_describe':
      return pod?.nodeName
        ? [{ tool, params: { kind: 'Node', name: pod.nodeName }, purpose: 'describe the node' }]
        : [];
    case 'kubernetes_events':
      return [{ tool, params: { ...base, type: 'Warning' }, purpose: 'warnings only' }];
    case 'pod_logs':
      return [
        ...(pod?.hasPreviousLog ? [{ tool, params: { ...base, previous: true }, purpose: 'previous instance' }] : []),
        { tool, params: { ...base, tail_lines: 5 }, purpose: 'tail_lines=5' },
        { tool, params: { ...base, filter: 'error|warn|fail|timeout|oom|xid|nccl' }, purpose: 'filtered' },
      ];
    case 'gpu_sharing':
      return base.namespace || base.pod ? [{ tool, params: {}, purpose: 'whole cluster' }] : [];
    default:
      return [];
  }
}

export interface DerivedCalls {
  calls: ToolCall[];
  /** Tools left out because a required parameter could not be derived, with which one. */
  problems: string[];
}

/** One base call per tool (plus a few variants) with parameters derived from the scenario. */
export function toolCallsForScenario(scenario: Scenario, tools: ToolDescriptor[]): DerivedCalls {
  const focus = scenarioFocus(scenario);
  const calls: ToolCall[] = [];
  const problems: string[] = [];
  for (const { spec } of tools) {
    const params: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [name, parameter] of Object.entries(spec.parameters)) {
      const value = valueFor(name, parameter, focus);
      if (value !== undefined) params[name] = value;
      else if (parameter.required && parameter.default === undefined) missing.push(name);
    }
    // version_change compares versions of a per-version signal only.
    if (spec.name === 'version_change') params.signal = 'latency_p99_by_version';
    // A name or pod taken from the focus pod is only found in that pod's namespace.
    if (
      focus.pod &&
      'namespace' in spec.parameters &&
      (params.name === focus.pod.name || params.pod === focus.pod.name)
    )
      params.namespace = focus.pod.namespace;
    if (missing.length > 0) {
      problems.push(
        `${spec.name}: cannot derive required parameter(s) ${missing.join(', ')} from the scenario; teach test/toolsets/tool-params-for-scenario.ts`,
      );
      continue;
    }
    calls.push({ tool: spec.name, params, purpose: 'base' });
    calls.push(...variants(spec.name, params, focus));
  }
  return { calls, problems };
}
