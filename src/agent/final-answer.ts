import type { LlmAnswer } from '../core/llm-outcome.js';
import { z } from 'zod';
import { leanSchema, toolDefinition, type ToolDefinition } from './tool-definitions.js';

export const FINAL_ANSWER_TOOL = 'final_answer';
export const OTHER_CAUSE = 'other';

/**
 * The structured answer the loop ends with; the model fills it through the final_answer tool.
 * Its causes are the ids of the runbooks loaded (the built-in ones and the user's own), or other.
 */
export function finalAnswerSchema(causes: Iterable<string>) {
  const vocabulary = [...new Set([...causes, OTHER_CAUSE])] as [string, ...string[]];
  return z.strictObject({
    cause: z.enum(vocabulary).describe("A runbook id, or 'other'"),
    title: z.string().min(3).max(200).describe('The cause in a few words'),
    summary: z.string().min(10).max(3000).describe('What happened and why, naming workloads, pods, nodes, GPUs'),
    evidence: z
      .array(
        z.strictObject({
          finding: z.string().min(3).describe('One fact, with its numbers'),
          sources: z.array(z.string().min(1)).min(1).describe('Tool call ids or evidence ids (E1 …)'),
        }),
      )
      .min(1)
      .max(15),
    remediation: z
      .array(
        z.strictObject({
          step: z.string().min(3),
          runbook: z.string().nullable().describe('Its runbook id, or null'),
          command: z.string().optional(),
        }),
      )
      .max(12),
    confidence: z.number().min(0).max(1),
    openQuestions: z.array(z.string()).max(10).default([]).describe('What could not be checked'),
  });
}

export type FinalAnswer = z.infer<ReturnType<typeof finalAnswerSchema>>;

/** What a source id stands for: the tool call behind it and the queries it ran. */
export interface SourceEntry {
  tool: string;
  params: Record<string, unknown>;
  requests: string[];
}

/** The answer with the tool calls and queries behind each finding resolved. */
export type ResolvedAnswer = LlmAnswer;

export function finalAnswerDefinition(causes: Iterable<string>): ToolDefinition {
  const { $schema: _schema, ...schema } = z.toJSONSchema(finalAnswerSchema(causes), { io: 'input' }) as Record<
    string,
    unknown
  >;
  // Lengths and counts are checked when the answer arrives (zod): the issues go back to the model.
  const parameters = leanSchema(schema) as Record<string, unknown>;
  return toolDefinition(
    FINAL_ANSWER_TOOL,
    'End the investigation with the structured answer: once, alone, when the evidence is in.',
    parameters,
  );
}

/** A Prometheus API request as the PromQL it ran (what a person reads); other requests as they are. */
export function readableQuery(request: string): string {
  try {
    const url = new URL(request, 'http://prometheus.invalid');
    return url.searchParams.get('query') || url.searchParams.getAll('match[]').join(', ') || request;
  } catch {
    return request;
  }
}

export interface AnswerContext {
  sources: ReadonlyMap<string, SourceEntry>;
  /** Ids of the runbooks loaded: the cause vocabulary. */
  runbooks: ReadonlySet<string>;
}

/**
 * Validates an answer (zod, then against the investigation: cited sources exist, cited runbooks
 * exist, a known cause with a runbook cites it) and resolves the queries behind each finding.
 * Issues come back as sentences the model can act on.
 */
export function validateAnswer(
  input: unknown,
  context: AnswerContext,
): { ok: true; answer: ResolvedAnswer } | { ok: false; issues: string[] } {
  const parsed = finalAnswerSchema(context.runbooks).safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'answer'}: ${issue.message}`),
    };
  const answer = parsed.data;
  const issues: string[] = [];
  answer.evidence.forEach((item, index) => {
    const unknown = item.sources.filter((source) => !context.sources.has(source));
    if (unknown.length > 0)
      issues.push(
        `evidence.${index}.sources: unknown id(s) ${unknown.join(', ')}; cite the ids of tool calls made in this investigation or evidence items (E1, …)`,
      );
  });
  answer.remediation.forEach((step, index) => {
    if (step.runbook !== null && !context.runbooks.has(step.runbook))
      issues.push(`remediation.${index}.runbook: no runbook '${step.runbook}'; use an id from list_runbooks or null`);
  });
  if (
    answer.cause !== OTHER_CAUSE &&
    context.runbooks.has(answer.cause) &&
    !answer.remediation.some((step) => step.runbook === answer.cause)
  ) {
    issues.push(`remediation: cite the runbook ${answer.cause} (fetch_runbook) in at least one step`);
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    answer: {
      ...answer,
      evidence: answer.evidence.map((item) => {
        const entries = item.sources.map((source) => context.sources.get(source)!);
        return {
          ...item,
          tools: [...new Set(entries.map((entry) => entry.tool))],
          queries: [...new Set(entries.flatMap((entry) => entry.requests.map(readableQuery)))],
        };
      }),
    },
  };
}

/** A reply in plain text may still hold the answer as JSON (models without tool calling). */
export function answerFromText(text: string): unknown {
  const match = /\{[\s\S]*\}/.exec(text);
  if (!match) return undefined;
  try {
    return JSON.parse(match[0]) as unknown;
  } catch {
    return undefined;
  }
}
