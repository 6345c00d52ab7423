import { formatUsd } from '../core/format-usd.js';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { Alert } from '../core/alert.js';
import type { Entities, InvestigationResult, InvestigationStatus, InvestigationStep } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import type { Admission } from './admission.js';
import type { AgentStateValue } from './agent-state.js';
import { emptySpent, type BudgetGuard } from './budget-guard.js';
import { messageText } from './count-message-tokens.js';
import { FINAL_ANSWER_TOOL } from './final-answer.js';

export interface AssembleInput {
  id: string;
  alert: Alert | null;
  question: string | null;
  admission: Admission;
  deterministic: InvestigationResult | null;
  firstLook: ToolResult[];
  /** The loop's final state; absent when no model was admitted. */
  state: AgentStateValue | undefined;
  guard: BudgetGuard | undefined;
  models: string[];
  startedAt: Date;
  started: number;
  /** Sources that did not answer a tool call of the loop: the answer stands, degraded. */
  unreachable?: string[];
}

function noEntities(): Entities {
  return { alertname: 'question', pods: [], containers: [], nodes: [], gpus: [], notes: [], unresolved: [] };
}

/** An answer the model tried to give, even one that did not validate: what it concluded, in words. */
function attemptedAnswer(message: AIMessage): string {
  const args = message.tool_calls?.find((call) => call.name === FINAL_ANSWER_TOOL)?.args as
    Record<string, unknown> | undefined;
  if (!args) return '';
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const findings = Array.isArray(args.evidence)
    ? args.evidence.map((item) => text((item as { finding?: unknown } | null)?.finding)).filter(Boolean)
    : [];
  return [
    [text(args.cause), text(args.title)].filter(Boolean).join(': '),
    text(args.summary),
    ...findings.map((finding) => `- ${finding}`),
  ]
    .filter(Boolean)
    .join('\n');
}

/** What the model said before the loop stopped (its words, or an answer that did not validate), for a partial answer. */
function partial(messages: BaseMessage[]): string | null {
  const said = messages
    .filter((message) => AIMessage.isInstance(message))
    .map((message) => [messageText(message).trim(), attemptedAnswer(message)].filter(Boolean).join('\n'))
    .filter(Boolean);
  return said.length > 0 ? said.slice(-2).join('\n') : null;
}

function statusOf(input: AssembleInput): InvestigationStatus {
  const loop = input.state?.status;
  if (!loop) {
    if (input.deterministic) return input.deterministic.status;
    return input.admission.overBudget ? 'budget-exceeded' : 'completed';
  }
  if (loop === 'completed') return (input.unreachable ?? []).length > 0 ? 'degraded' : 'completed';
  if (loop === 'budget-exceeded') return 'budget-exceeded';
  // A failed model still leaves the deterministic result standing: degraded, not failed.
  if (loop === 'failed') return input.deterministic ? 'degraded' : 'failed';
  return 'degraded';
}

/** The agent's result: the answer when there is one, else the deterministic result it started from. */
export function assembleResult(input: AssembleInput): InvestigationResult {
  const { deterministic, state } = input;
  const answer = state?.answer ?? null;
  const spent = input.guard ? { ...input.guard.spent } : emptySpent();
  const citing = answer?.remediation.find((step) => step.runbook !== null)?.runbook;
  const steps: InvestigationStep[] = [...(deterministic?.steps ?? [])];
  steps.push({
    at: new Date().toISOString(),
    kind: 'note',
    message: `admission: ${input.admission.mode} (${input.admission.reason})`,
  });
  if (state)
    steps.push({
      at: new Date().toISOString(),
      kind: 'note',
      message: `agent: ${state.status}${state.stopReason ? ` (${state.stopReason})` : ''}; ${spent.steps} steps, ${spent.toolCalls} tool calls, ${spent.inputTokens}/${spent.outputTokens} tokens, ${formatUsd(spent.usd)}`,
    });
  const decisions = input.guard?.decisions ?? [];
  // Every model passed over for the budget (the last one for its window) is a refusal too.
  const refusal =
    decisions.filter((decision) => decision.action === 'refuse' || decision.action === 'refuse-tool').at(-1) ??
    (state?.status === 'budget-exceeded' ? decisions.filter((decision) => decision.action === 'skip').at(-1) : null) ??
    null;
  return {
    id: input.id,
    kind: input.alert ? 'alert' : 'question',
    alert: input.alert,
    question: input.question,
    mode: state ? 'llm' : 'deterministic',
    status: statusOf(input),
    rootCause: answer
      ? { id: answer.cause, title: answer.title, confidence: answer.confidence, summary: answer.summary }
      : (deterministic?.rootCause ?? null),
    hypotheses: deterministic?.hypotheses ?? [],
    remediation: answer
      ? {
          runbook: citing ?? 'none',
          steps: answer.remediation.map((step) => ({
            title: step.step,
            ...(step.command ? { command: step.command } : {}),
            ...(step.runbook ? { details: `runbook ${step.runbook}` } : {}),
          })),
        }
      : (deterministic?.remediation ?? null),
    entities: deterministic?.entities ?? noEntities(),
    symptoms: deterministic?.symptoms ?? [],
    notChecked: [...(deterministic?.notChecked ?? []), ...(input.unreachable ?? []), ...(answer?.openQuestions ?? [])],
    usage: {
      modelCalls: spent.modelCalls,
      inputTokens: spent.inputTokens,
      outputTokens: spent.outputTokens,
      usd: spent.usd,
      toolCalls: spent.toolCalls + (deterministic?.usage.toolCalls ?? 0) + input.firstLook.length,
      queries:
        (deterministic?.usage.queries ?? 0) + input.firstLook.reduce((sum, result) => sum + result.requests.length, 0),
    },
    timings: {
      startedAt: input.startedAt.toISOString(),
      durationMs: Math.round(performance.now() - input.started),
      entitiesMs: deterministic?.timings.entitiesMs ?? 0,
      checksMs: deterministic?.timings.checksMs ?? 0,
    },
    steps,
    llm: {
      answer,
      partialAnswer: state && !answer ? partial(state.messages) : null,
      stopReason:
        state?.stopReason ?? (state ? null : input.admission.mode === 'deterministic' ? input.admission.reason : null),
      deterministic,
      firstLook: input.firstLook.map((result) => ({
        tool: result.tool,
        params: result.params,
        status: result.status,
        text: result.text,
        requests: result.requests,
      })),
      admission: input.admission,
      models: input.models,
      budget: { caps: input.admission.caps, spent, refusal },
    },
  };
}
