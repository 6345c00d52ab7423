import type { HolmesConfig } from '../config/config-schema.js';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import type { Investigator } from '../investigator/create-investigator.js';
import type { RecordStore } from '../ledger/record-store.js';
import type { SpendLedger } from '../ledger/spend-ledger.js';
import { capOutput } from '../toolsets/cap-output.js';
import { admit, type Requester } from './admission.js';
import { assembleResult } from './assemble-result.js';
import { buildAgentGraph } from './build-agent-graph.js';
import { createBudgetGuard } from './budget-guard.js';
import type { FailoverCaller } from './call-with-failover.js';
import type { LoopContext } from './loop-context.js';
import type { ModelEntry } from './model-registry.js';
import { createRunbookTools, RUNBOOK_TOOL_NAMES } from './runbook-tools.js';
import { namespaceIn } from './select-toolsets.js';
import { alertEvidence, questionEvidence, type HistoryTurn, type StartingEvidence } from './starting-evidence.js';
import type { ReplyDelta } from './stream-reply.js';
import { createToolCatalog } from './tool-catalog.js';

export type AgentRequest =
  { kind: 'alert'; alert: Alert } | { kind: 'question'; question: string; history?: HistoryTurn[] | undefined };

/**
 * A step as it is recorded, also handed to the caller as it happens (TTY progress). `transient`
 * events are progress only and not recorded: a call going out, a model passed over, a deterministic
 * check, text as the model writes it.
 */
export interface AgentEvent {
  kind: string;
  data: Record<string, unknown>;
  durationMs?: number | undefined;
  transient?: boolean;
}

export interface RunAgentOptions {
  request: AgentRequest;
  requester?: Requester | undefined;
  threadId?: string | undefined;
  config: HolmesConfig;
  entries: ModelEntry[];
  caller: FailoverCaller;
  investigator: Investigator;
  ledger: SpendLedger;
  records: RecordStore;
  countTokens: (text: string) => number;
  onEvent?: ((event: AgentEvent) => void) | undefined;
  /** Stream replies and hand on their text as it is written (`holmes ask` on a terminal). */
  stream?: boolean | undefined;
}

/** One investigation or question: admission, record, deterministic evidence, the loop if admitted, result. */
export async function runAgent(options: RunAgentOptions): Promise<InvestigationResult> {
  const { request, config, entries, investigator, records } = options;
  const startedAt = new Date();
  const started = performance.now();
  const alert = request.kind === 'alert' ? request.alert : undefined;
  const admission = await admit({
    config,
    ledger: options.ledger,
    hasModels: entries.length > 0,
    labels: alert?.labels,
    requester: options.requester,
  });
  // Spend is attributed to the alert's namespace, or the one a question names.
  const namespace = alert ? alert.labels.namespace : namespaceIn(request.kind === 'question' ? request.question : '');
  const id = await records.begin({
    kind: request.kind,
    subject:
      request.kind === 'alert' ? (request.alert.labels.alertname ?? request.alert.fingerprint) : request.question,
    threadId: options.threadId,
    team: admission.team,
    namespace,
    alertname: alert?.labels.alertname,
    askedBy: options.requester,
  });
  // Steps are written in order without holding up the loop; finishing waits for them, and a step
  // that could not be written fails the investigation there.
  let written: Promise<unknown> = Promise.resolve();
  let stepError: unknown;
  const step = (kind: string, data: Record<string, unknown>, durationMs?: number) => {
    written = records.appendStep(id, kind, data, durationMs).catch((error: unknown) => (stepError ??= error));
    options.onEvent?.({ kind, data, durationMs });
  };
  const stepsWritten = async () => {
    await written;
    if (stepError) throw stepError;
  };
  const progress = (kind: string, data: Record<string, unknown>) => options.onEvent?.({ kind, data, transient: true });
  try {
    step('admission', { ...admission });
    let deterministic: InvestigationResult | null = null;
    if (alert) {
      const begin = performance.now();
      progress('deterministic-start', { alertname: alert.labels.alertname });
      deterministic = await investigator.investigate(alert, (item) => progress('deterministic-step', { ...item }));
      step(
        'deterministic',
        {
          status: deterministic.status,
          rootCause: deterministic.rootCause,
          ranked: deterministic.hypotheses.slice(0, 5).map((hypothesis) => ({
            cause: hypothesis.cause,
            score: hypothesis.score,
            confidence: hypothesis.confidence,
          })),
          toolCalls: deterministic.usage.toolCalls,
          queries: deterministic.usage.queries,
        },
        performance.now() - begin,
      );
    }
    const caps = config.budget.perInvestigation;
    const { minOutputTokens } = config.agent;
    // The smallest window as counted locally, with the least output worth a call taken off.
    const windows = entries.map((entry) =>
      Math.floor((entry.contextWindow - minOutputTokens) / entry.inputEstimateFactor),
    );
    const smallest = windows.length > 0 ? Math.min(...windows) : 8_192;
    const maxToolOutputTokens =
      config.agent.maxToolOutputTokens ?? Math.min(config.toolsets.maxOutputTokens, Math.floor(smallest * 0.15));
    const runbookTools = createRunbookTools({
      runbooks: investigator.runbooks.runbooks,
      toolbox: investigator.toolbox,
      alert,
      teamNamespaces: config.kubernetes.teamNamespaces,
    });
    const catalog = createToolCatalog({
      toolbox: investigator.toolbox,
      runbooks: investigator.runbooks.runbooks,
      runbookDefinitions: runbookTools.definitions,
      countTokens: options.countTokens,
      budget: Math.min(config.agent.maxToolDefinitionTokens, Math.floor(smallest * 0.15)),
    });
    // Fixed for the whole investigation: the system prompt says it, and its prefix stays cacheable.
    const prompt = { maxSteps: caps.maxSteps, maxToolCalls: caps.maxToolCalls, now: startedAt };
    const capResult = (result: ToolResult): ToolResult => ({
      ...result,
      text: capOutput(result.text, maxToolOutputTokens, options.countTokens).text,
    });
    let firstLook: ToolResult[] = [];
    const start = async (): Promise<StartingEvidence> => {
      const starting = alert
        ? alertEvidence(alert, deterministic!, prompt, catalog.ranking)
        : await questionEvidence(
            request.kind === 'question' ? request.question : '',
            {
              ...investigator.toolbox,
              run: async (name, params) => capResult(await investigator.toolbox.run(name, params)),
            },
            prompt,
            catalog.ranking,
            request.kind === 'question' ? request.history : undefined,
          );
      firstLook = starting.firstLook;
      return starting;
    };

    if (admission.mode === 'deterministic') {
      if (!alert) {
        const begin = performance.now();
        await start();
        step(
          'first-look',
          {
            results: firstLook.map((result) => ({
              tool: result.tool,
              params: result.params,
              status: result.status,
              output: result.text,
              requests: result.requests,
            })),
          },
          performance.now() - begin,
        );
      }
      const result = assembleResult({
        id,
        alert: alert ?? null,
        question: request.kind === 'question' ? request.question : null,
        admission,
        deterministic,
        firstLook,
        state: undefined,
        guard: undefined,
        models: [],
        startedAt,
        started,
      });
      await stepsWritten();
      await records.finishAtZeroTokens(id, result);
      return result;
    }

    const guard = createBudgetGuard({
      caps,
      limits: admission.limits,
      ledger: options.ledger,
      attribution: { recordId: id, team: admission.team, namespace, alertname: alert?.labels.alertname },
    });
    const models: string[] = [];
    const unreachable = new Set<string>();
    const context: LoopContext = {
      guard,
      caller: options.caller,
      entries,
      countTokens: options.countTokens,
      start,
      runTool: async (name, params) => {
        const result = RUNBOOK_TOOL_NAMES.has(name)
          ? await runbookTools.run(name, params)
          : await investigator.toolbox.run(name, params);
        // A source that stopped answering (a dead MCP server, Prometheus down) leaves the answer degraded.
        if (result.unreachable)
          unreachable.add(`${result.toolset || result.tool} did not answer: ${result.text.slice(0, 300)}`);
        return result;
      },
      definitionsFor: catalog.definitionsFor,
      answerDefinition: catalog.answerDefinition,
      sources: new Map(),
      runbookIds: new Set(investigator.runbooks.runbooks.map((runbook) => runbook.id)),
      maxToolOutputTokens,
      compactAtTokens: Math.floor(smallest * config.agent.compactAt),
      minOutputTokens,
      step: (kind, data, durationMs) => {
        if (kind === 'model-call' && typeof data.model === 'string' && models.at(-1) !== data.model)
          models.push(data.model);
        step(kind, data, durationMs);
      },
      progress,
      onDelta: options.stream
        ? (delta: ReplyDelta) => progress(delta.kind === 'answer' ? 'answer-delta' : 'text-delta', { text: delta.text })
        : undefined,
    };
    const graph = buildAgentGraph(context);
    // Each step is at most three nodes (compact, model, tools); the guard ends the loop long before this.
    const state = await graph.invoke({}, { recursionLimit: caps.maxSteps * 4 + 10 });
    const result = assembleResult({
      id,
      alert: alert ?? null,
      question: request.kind === 'question' ? request.question : null,
      admission,
      deterministic,
      firstLook,
      state,
      guard,
      models,
      startedAt,
      started,
      unreachable: [...unreachable],
    });
    step('finish', { status: result.status, stopReason: result.llm?.stopReason, spent: guard.spent });
    await stepsWritten();
    await records.finish(id, {
      state: result.status,
      mode: result.mode,
      rootCause: result.rootCause?.id ?? null,
      inputTokens: guard.spent.inputTokens,
      outputTokens: guard.spent.outputTokens,
      usd: guard.spent.usd,
      result,
      error: result.status === 'failed' ? (result.llm?.stopReason ?? undefined) : undefined,
    });
    return result;
  } catch (error) {
    await records.fail(id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
