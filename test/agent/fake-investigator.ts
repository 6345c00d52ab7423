import type { Alert } from '../../src/core/alert.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import type { ToolResult } from '../../src/core/tool-result.js';
import type { Investigator } from '../../src/investigator/create-investigator.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import type { ToolDescriptor } from '../../src/toolsets/create-toolbox.js';

export const ALERT: Alert = {
  fingerprint: 'f00d',
  status: 'firing',
  labels: { alertname: 'InferenceP99High', namespace: 'llm', service: 'chat-api', team: 'chat' },
  annotations: { summary: 'chat-api TTFT p99 above 2s' },
  startsAt: new Date(Date.now() - 10 * 60_000).toISOString(),
};

type Handler = (params: Record<string, unknown>) => Partial<ToolResult> & Pick<ToolResult, 'text'>;

const TOOLS: Array<{ toolset: string; name: string; description: string; handler: Handler }> = [
  {
    toolset: 'gpu/dcgm',
    name: 'gpu_sharing',
    description: 'Physical GPUs used by more than one workload (time-slicing, MPS, MIG)',
    handler: (params) => ({
      text: `GPU 3 on gpu-a100-07: 2 workloads, time-sliced\n  ml-batch/embed-batch-r4812 busy 99%\n  llm/chat-api-2xkqp busy 99% (namespace ${String(params.namespace ?? '*')})`,
      requests: ['max by (gpu, Hostname, pod) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)'],
    }),
  },
  {
    toolset: 'llm/serving',
    name: 'vllm_overview',
    description: 'vLLM servers: running, waiting, KV-cache usage, TTFT and end-to-end latency p99',
    handler: () => ({
      text: 'TTFT p99: chat-api 2.8s (was 0.4s)',
      requests: ['histogram_quantile(0.99, vllm:time_to_first_token_seconds_bucket)'],
    }),
  },
  {
    toolset: 'kubernetes/core',
    name: 'kubernetes_events',
    description: 'Events of a namespace, warnings first',
    handler: () => ({
      text: '',
      status: 'error',
      error: 'Kubernetes API not reachable',
      requests: ['/api/v1/namespaces/llm/events'],
    }),
  },
];

/**
 * An investigator with the real runbooks and a toolbox of three canned tools (one always fails),
 * recording each tool call; the deterministic result names gpu-noisy-neighbor.
 */
export async function createFakeInvestigator(
  runbookDirectories: string[] = [BUILTIN_RUNBOOKS_DIR],
): Promise<Investigator & { toolCalls: Array<{ name: string; params: Record<string, unknown> }> }> {
  const runbooks = await loadRunbooks(runbookDirectories);
  const toolCalls: Array<{ name: string; params: Record<string, unknown> }> = [];
  const descriptors: ToolDescriptor[] = TOOLS.map((tool) => ({
    toolset: tool.toolset,
    spec: {
      name: tool.name,
      description: tool.description,
      parameters: { namespace: { type: 'label_value', description: 'Namespace', required: false } },
    } as ToolDescriptor['spec'],
  }));
  const toolbox: Investigator['toolbox'] = {
    statuses: [...new Set(TOOLS.map((tool) => tool.toolset))].map((id) => ({
      id,
      description: TOOLS.filter((tool) => tool.toolset === id)
        .map((tool) => tool.description)
        .join('; '),
      file: `${id}.yaml`,
      status: 'enabled' as const,
      tools: TOOLS.filter((tool) => tool.toolset === id).map((tool) => tool.name),
    })),
    failures: [],
    tools: () => descriptors,
    run: async (name, params = {}) => {
      toolCalls.push({ name, params });
      const tool = TOOLS.find((candidate) => candidate.name === name);
      if (!tool)
        return {
          toolset: '',
          tool: name,
          params,
          status: 'error',
          text: `Unknown tool '${name}'.`,
          error: 'unknown',
          data: null,
          requests: [],
          durationMs: 1,
          rawBytes: 0,
        };
      const output = tool.handler(params);
      return {
        toolset: tool.toolset,
        tool: name,
        params,
        status: 'success',
        data: null,
        requests: [],
        durationMs: 1,
        rawBytes: 0,
        ...output,
      };
    },
  };
  const investigate = async (alert: Alert): Promise<InvestigationResult> => ({
    id: 'det-1',
    kind: 'alert',
    alert,
    question: null,
    mode: 'deterministic',
    status: 'completed',
    rootCause: {
      id: 'gpu-noisy-neighbor',
      title: 'Another workload shares the same physical GPU',
      confidence: 0.9,
      summary: 'embed-batch time-slices GPU 3 on gpu-a100-07 with chat-api-2xkqp',
    },
    hypotheses: [
      {
        cause: 'gpu-noisy-neighbor',
        title: 'Another workload shares the same physical GPU',
        class: 'gpu-contention',
        score: 9,
        confidence: 0.9,
        candidateBecause: ['a GPU is shared'],
        evidence: [
          {
            runbook: 'gpu-noisy-neighbor',
            check: 'gpu-shared',
            verdict: 'supports',
            weight: 5,
            required: true,
            sentence: 'ml-batch/embed-batch-r4812 time-slices gpu 3 on gpu-a100-07 with chat-api-2xkqp',
            tool: {
              toolset: 'gpu/dcgm',
              tool: 'gpu_sharing',
              params: { namespace: 'llm' },
              status: 'success',
              text: '…',
              requests: ['max by (gpu) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="llm"})'],
            },
            facts: {},
          },
        ],
      },
    ],
    remediation: { runbook: 'gpu-noisy-neighbor', steps: [{ title: 'Move embed-batch off gpu-a100-07' }] },
    entities: {
      alertname: alert.labels.alertname ?? '?',
      namespace: 'llm',
      pods: [{ namespace: 'llm', name: 'chat-api-2xkqp', node: 'gpu-a100-07' }],
      containers: [],
      nodes: ['gpu-a100-07'],
      gpus: [{ node: 'gpu-a100-07', gpu: '3' }],
      notes: [],
      unresolved: [],
    },
    symptoms: ['a GPU is shared'],
    notChecked: [],
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0, toolCalls: 4, queries: 6 },
    timings: { startedAt: new Date().toISOString(), durationMs: 5, entitiesMs: 1, checksMs: 4 },
    steps: [],
    llm: null,
  });
  return { toolbox, runbooks, investigate, toolCalls };
}

/** A final_answer tool call citing `sources`, valid against the real runbooks. */
export function finalAnswer(sources: string[], overrides: Record<string, unknown> = {}) {
  return {
    name: 'final_answer',
    args: {
      cause: 'gpu-noisy-neighbor',
      title: 'embed-batch time-slices the GPU of chat-api',
      summary: 'ml-batch/embed-batch-r4812 shares GPU 3 on gpu-a100-07 with chat-api-2xkqp; both run at 99% busy.',
      evidence: [{ finding: 'GPU 3 on gpu-a100-07 is time-sliced between embed-batch and chat-api', sources }],
      remediation: [
        { step: 'Give embed-batch its own GPU (node affinity away from gpu-a100-07)', runbook: 'gpu-noisy-neighbor' },
      ],
      confidence: 0.85,
      openQuestions: [],
      ...overrides,
    },
  };
}
