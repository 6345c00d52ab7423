import { HolmesError } from '../core/errors.js';
import { redactSecrets } from '../core/redact-secrets.js';
import type { ToolResult } from '../core/tool-result.js';
import type { KubeClient } from '../telemetry/kube-types.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import { BUILTINS } from './builtins/index.js';
import { capOutput } from './cap-output.js';
import { createPrerequisiteChecker, createSourceProbe, type SourceProbeOptions } from './check-prerequisites.js';
import { loadTokenCounter } from './count-tokens.js';
import * as kubeVerbs from './kube-verbs/index.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets, type LoadToolsetsResult } from './load-toolsets.js';
import { describeParameters, toParameterSchema } from './parameter-schema.js';
import { runPromqlTool } from './run-promql-tool.js';
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
}

export interface Toolbox {
  /** Every toolset, enabled, disabled or failed as last checked (a toolbox that re-checks updates it in place). */
  statuses: ToolsetStatus[];
  failures: LoadToolsetsResult['failures'];
  /** Tools of enabled toolsets (`all`: of every loaded toolset, also those failed or turned off). */
  tools(options?: { all?: boolean }): ToolDescriptor[];
  /** Runs a tool by `name` or `toolset-id/name`; never throws — failures are results with status error. */
  run(name: string, params?: Record<string, unknown>): Promise<ToolResult>;
  /** The signals of the enabled toolsets (for `holmes doctor`); a toolbox built by hand may have none. */
  signals?: ReadonlyMap<string, SignalSpec>;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HolmesError('TIMEOUT', `${what} took longer than ${timeoutMs} ms.`, {
            isRetryable: true,
            fix: 'Narrow the call or raise toolsets.timeoutMs.',
          }),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
    const failure = (problem: string, unreachable = false): ToolResult => {
      const message = redactSecrets(problem);
      return {
        ...identity,
        status: 'error',
        text: message,
        error: message,
        ...(unreachable ? { unreachable } : {}),
        data: null,
        requests: [],
        durationMs: performance.now() - started,
        rawBytes: 0,
      };
    };
    if (!entry) {
      const available = statuses
        .filter((status) => status.status === 'enabled')
        .flatMap((status) => status.tools.map((tool) => `${status.id}/${tool}`));
      return failure(`Unknown tool '${name}'. Available: ${available.join(', ')}. Run \`holmes toolsets list\`.`);
    }
    await refresh();
    if (entry.status.status !== 'enabled')
      return failure(
        `Toolset ${entry.toolset.id} is ${entry.status.status}: ${entry.status.reason}.`,
        entry.status.unreachable,
      );
    const parsed = toParameterSchema(entry.spec.parameters).safeParse(params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
        return `${issue.path.join('.') || 'parameters'}: ${issue.message}${keys}`;
      });
      return failure(
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
    try {
      const output = await withTimeout(
        implement(entry.spec, entry.toolset)(parsed.data, context),
        timeoutMs,
        `Tool ${entry.spec.name}`,
      );
      // The tokenizer table is large: loaded at the first tool call, not when the toolbox is built.
      // What a tool read may hold credentials (a URL with user:password in a pod's env): never passed on.
      const capped = capOutput(
        redactSecrets(output.text),
        maxOutputTokens,
        await loadTokenCounter(),
        output.keep ? { keep: output.keep } : {},
      );
      // Both can apply (a tool showed its top k, then the cap cut lines): report both.
      const omitted =
        capped.omitted && output.omitted
          ? {
              what: `${output.omitted.what}; then ${capped.omitted.what}`,
              hint: `${output.omitted.hint} ${capped.omitted.hint}`,
            }
          : (capped.omitted ?? output.omitted);
      return {
        ...identity,
        params: parsed.data,
        status: output.status ?? 'success',
        text: capped.text,
        data: output.data,
        requests: output.requests,
        ...(omitted ? { omitted } : {}),
        ...(output.missing ? { missing: output.missing } : {}),
        ...(output.graph ? { graph: output.graph } : {}),
        durationMs: performance.now() - started,
        rawBytes: output.raw.reduce((sum, body) => sum + Buffer.byteLength(body), 0),
        ...(options.keepRaw ? { raw: output.raw } : {}),
      };
    } catch (error) {
      const message = HolmesError.isInstance(error)
        ? `${error.message}${error.fix ? ` ${error.fix}` : ''}`
        : `Tool ${entry.spec.name} failed: ${(error as Error).message}`;
      const unreachable =
        HolmesError.isInstance(error) && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'TIMEOUT');
      return failure(message, unreachable);
    }
  }

  return {
    statuses,
    failures: loaded.failures,
    tools: (listOptions = {}) =>
      [...new Set(byName.values())]
        .filter((entry) => listOptions.all || entry.status.status === 'enabled')
        .map((entry) => ({ toolset: entry.toolset.id, spec: entry.spec })),
    run,
    refresh,
    signals,
  };
}
