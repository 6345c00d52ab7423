import { HolmesError } from '../core/errors.js';
import type { ToolResult } from '../core/tool-result.js';
import type { KubeClient } from '../telemetry/kube-types.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import { BUILTINS } from './builtins/index.js';
import { createPrerequisiteChecker, createSourceProbe, type SourceProbeOptions } from './check-prerequisites.js';
import * as kubeVerbs from './kube-verbs/index.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets, type LoadToolsetsResult } from './load-toolsets.js';
import { describeParameters, toParameterSchema } from './parameter-schema.js';
import { runPromqlTool } from './run-promql-tool.js';
import { settleToolCall, toolFailure } from './settle-tool-call.js';
import type { ToolContext, ToolOutput } from './tool-context.js';
import type { SignalSpec, ToolSpec, ToolsetSpec } from './toolset-schema.js';

const VERBS: Record<string, kubeVerbs.KubeVerb> = {
  list: kubeVerbs.listObjects,
  get: kubeVerbs.getObject,
  describe: kubeVerbs.describeObject,
  events: kubeVerbs.listEvents,
  logs: kubeVerbs.podLogs,
  owners: kubeVerbs.ownerChain,
  rollouts: kubeVerbs.recentRollouts,
  kinds: kubeVerbs.apiResources,
  nodes: kubeVerbs.nodeHealth,
};

export interface ToolboxOptions {
  prometheus?: PrometheusClient;
  kube?: KubeClient;
  /** Extra toolset directories (the built-in one is always read first). */
  directories?: string[];
  /** Toolset ids turned off in the config. */
  disabled?: string[];
  maxOutputTokens?: number;
  timeoutMs?: number;
  now?: () => Date;
  /** Keep raw upstream bodies on results (benchmarks measure them). */
  keepRaw?: boolean;
  /** How long prerequisite answers are reused, and how long a source may take to answer. */
  probe?: SourceProbeOptions;
}

export interface ToolsetStatus {
  id: string;
  description: string;
  file: string;
  status: 'enabled' | 'disabled' | 'failed';
  reason?: string;
  /** Failed because a configured source did not answer (not because its data is absent). */
  unreachable?: boolean;
  /** Someone else's tools (an MCP server's): Holmes cannot promise they only read. */
  external?: boolean;
  tools: string[];
}

/** A toolbox that can also say, checked afresh when stale, which toolsets are usable now. */
export interface CheckedToolbox extends Toolbox {
  /** Re-checks prerequisites whose last answer is stale; resolves with `statuses`, brought up to date. */
  refresh(): Promise<ToolsetStatus[]>;
}

export interface ToolDescriptor {
  toolset: string;
  spec: ToolSpec;
  /** JSON Schema of the parameters, when they are not described by `spec.parameters` (an MCP server's tool). */
  inputSchema?: Record<string, unknown>;
  /** Someone else's tool (an MCP server's): never served again by `holmes mcp`. */
  external?: boolean;
}

export interface Toolbox {
  /** Every toolset, enabled, disabled or failed as last checked (a toolbox that re-checks updates it in place). */
  statuses: ToolsetStatus[];
  failures: LoadToolsetsResult['failures'];
  /**
   * Tools of enabled toolsets; with `unavailable`, also those of toolsets whose prerequisites
   * failed as last checked (never those disabled in the config); with `all`, of every loaded toolset.
   */
  tools(options?: { unavailable?: boolean; all?: boolean }): ToolDescriptor[];
  /** Runs a tool by `name` or `toolset-id/name`; never throws — failures are results with status error. */
  run(name: string, params?: Record<string, unknown>): Promise<ToolResult>;
  /** Releases what the toolbox started (MCP server processes); absent when there is nothing to release. */
  close?(): Promise<void>;
  /** Re-checks stale prerequisites (see CheckedToolbox); absent for a toolbox that does not check them. */
  refresh?(): Promise<ToolsetStatus[]>;
  /** The signals of the enabled toolsets (for `holmes doctor`); a toolbox built by hand may have none. */
  signals?: ReadonlyMap<string, SignalSpec>;
}

function implement(
  tool: ToolSpec,
  toolset: ToolsetSpec,
): (params: Record<string, unknown>, context: ToolContext) => Promise<ToolOutput> {
  if (tool.promql) return (params, context) => runPromqlTool(tool.promql!, params, context, tool.parameters);
  if (tool.kubernetes) {
    const { verb, kind } = tool.kubernetes;
    return (params, context) => {
      if (!context.kube)
        throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Kubernetes access is configured.', {
          fix: 'Set kubernetes.kubeconfig, kubernetes.inCluster or kubernetes.server.',
        });
      return VERBS[verb]!({ ...(kind ? { kind } : {}), ...params }, { kube: context.kube, now: context.now() });
    };
  }
  const builtin = BUILTINS[tool.builtin!];
  if (!builtin) throw new HolmesError('TOOLSET_INVALID', `Toolset ${toolset.id}: unknown builtin ${tool.builtin}.`);
  return builtin;
}

/** A parameter whose values are the loaded signals' names becomes an enum of them. */
function withSignalValues(tool: ToolSpec, signals: ReadonlyMap<string, SignalSpec>): ToolSpec {
  const entries = Object.entries(tool.parameters);
  if (!entries.some(([, spec]) => spec.valuesFrom === 'signals')) return tool;
  return {
    ...tool,
    parameters: Object.fromEntries(
      entries.map(([name, spec]) => [
        name,
        spec.valuesFrom === 'signals' ? { ...spec, type: 'enum' as const, values: [...signals.keys()].sort() } : spec,
      ]),
    ),
  };
}

/**
 * Loads the toolsets and runs their tools with validation, timeouts and caps. Prerequisites are
 * checked in the background, not awaited: a source down (or hanging) at start does not delay it,
 * and each tool call re-checks them once the last answer is stale, so a source that comes back is
 * used again. `statuses` is one array, updated in place as answers come in.
 */
export async function createToolbox(options: ToolboxOptions = {}): Promise<CheckedToolbox> {
  const loaded = await loadToolsets({
    directories: [BUILTIN_TOOLSETS_DIR, ...(options.directories ?? [])],
    builtins: new Set(Object.keys(BUILTINS)),
  });
  const clients = { prometheus: options.prometheus, kube: options.kube };
  const check = createPrerequisiteChecker(clients, createSourceProbe(clients, options.probe));
  const disabled = new Set(options.disabled ?? []);
  const statuses: ToolsetStatus[] = loaded.toolsets.map(({ spec, file }) => ({
    id: spec.id,
    description: spec.description,
    file,
    tools: spec.tools.map((tool) => tool.name),
    ...(disabled.has(spec.id)
      ? { status: 'disabled' as const, reason: 'disabled in the config (toolsets.disabled)' }
      : { status: 'enabled' as const }),
  }));
  let refreshing: Promise<ToolsetStatus[]> | undefined;
  const refresh = (): Promise<ToolsetStatus[]> =>
    (refreshing ??= (async () => {
      const problems = await Promise.all(
        loaded.toolsets.map(({ spec }) => (disabled.has(spec.id) ? undefined : check(spec.prerequisites))),
      );
      problems.forEach((problem, index) => {
        const status = statuses[index]!;
        if (problem === undefined) return;
        if (problem)
          Object.assign(status, { status: 'failed', reason: problem.reason, unreachable: problem.unreachable });
        else {
          status.status = 'enabled';
          delete status.reason;
          delete status.unreachable;
        }
      });
      return statuses;
    })().finally(() => (refreshing = undefined)));
  // Started now, so the first alert usually finds the answers in; never awaited here.
  void refresh();
  const maxOutputTokens = options.maxOutputTokens ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const now = options.now ?? (() => new Date());
  // Signals of every toolset that is not turned off: the signal tool checks their metrics itself.
  const signals = new Map<string, SignalSpec>(
    loaded.toolsets.filter(({ spec }) => !disabled.has(spec.id)).flatMap(({ spec }) => Object.entries(spec.signals)),
  );
  const byName = new Map<string, { spec: ToolSpec; toolset: ToolsetSpec; status: ToolsetStatus }>();
  loaded.toolsets.forEach(({ spec }, index) => {
    for (const declared of spec.tools) {
      const tool = withSignalValues(declared, signals);
      const entry = { spec: tool, toolset: spec, status: statuses[index]! };
      byName.set(tool.name, entry);
      byName.set(`${spec.id}/${tool.name}`, entry);
    }
  });

  async function run(name: string, params: Record<string, unknown> = {}): Promise<ToolResult> {
    const started = performance.now();
    const entry = byName.get(name);
    const identity = { toolset: entry?.toolset.id ?? '', tool: entry?.spec.name ?? name, params };
    if (!entry) {
      const available = statuses
        .filter((status) => status.status === 'enabled')
        .flatMap((status) => status.tools.map((tool) => `${status.id}/${tool}`));
      return toolFailure(
        identity,
        started,
        `Unknown tool '${name}'. Available: ${available.join(', ')}. Run \`holmes toolsets list\`.`,
      );
    }
    await refresh();
    if (entry.status.status !== 'enabled')
      return toolFailure(
        identity,
        started,
        `Toolset ${entry.toolset.id} is ${entry.status.status}: ${entry.status.reason}.`,
        entry.status.unreachable,
      );
    const parsed = toParameterSchema(entry.spec.parameters).safeParse(params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
        return `${issue.path.join('.') || 'parameters'}: ${issue.message}${keys}`;
      });
      return toolFailure(
        identity,
        started,
        `Invalid parameters for ${entry.spec.name}: ${problems.join('; ')}. Allowed: ${describeParameters(entry.spec.parameters)}.`,
      );
    }
    const context: ToolContext = {
      prometheus: options.prometheus,
      kube: options.kube,
      now,
      toolset: entry.toolset,
      signals,
    };
    return settleToolCall(
      { ...identity, params: parsed.data },
      started,
      () => implement(entry.spec, entry.toolset)(parsed.data, context),
      { maxOutputTokens, timeoutMs, keepRaw: options.keepRaw },
    );
  }

  return {
    statuses,
    failures: loaded.failures,
    tools: (filter = {}) =>
      [...new Set(byName.values())]
        .filter(
          (entry) =>
            filter.all || entry.status.status === 'enabled' || (filter.unavailable && entry.status.status === 'failed'),
        )
        .map((entry) => ({ toolset: entry.toolset.id, spec: entry.spec })),
    run,
    refresh,
    signals,
  };
}
