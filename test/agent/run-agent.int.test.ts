import { ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText } from '../../src/agent/agent-result.js';
import { createAgent } from '../../src/agent/create-agent.js';
import { configSchema, type HolmesConfig } from '../../src/config/config-schema.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import type { Scenario } from '../../src/lab/scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { ScriptedChatModel, type ScriptedRequest } from './scripted-chat-model.js';

const SCENARIO = fileURLToPath(new URL('../../evals/scenarios/chat-api-p99-shared-gpu/', import.meta.url));

let lab: Lab;
let scenario: Scenario;
let config: HolmesConfig;
let db: Db;

function toolOutput(request: ScriptedRequest, id: string): string {
  const message = request.messages.find(
    (candidate: BaseMessage) => ToolMessage.isInstance(candidate) && candidate.tool_call_id === id,
  );
  if (!message) throw new Error(`no result for ${id}`);
  return String(message.content);
}

/** Reads the neighbour off the real gpu_sharing output, as a model would. */
function sharing(text: string): { neighbour: string; namespace: string; node: string; victim: string } {
  const node = /on (\S+) /.exec(text)?.[1];
  const [, namespace, neighbour] = /\n\s+(ml-batch)\/(\S+)/.exec(text) ?? [];
  const victim = /llm\/(chat-api-\S+)/.exec(text)?.[1];
  if (!node || !namespace || !neighbour || !victim) throw new Error(`unexpected gpu_sharing output:\n${text}`);
  return { neighbour, namespace, node, victim };
}

describe('the agent graph against the lab (scripted model)', () => {
  beforeAll(async () => {
    scenario = await loadScenario(SCENARIO);
    lab = await startLab(scenario);
    config = configSchema.parse({
      prometheus: { url: lab.prometheusUrl },
      kubernetes: { server: lab.kubeApiUrl },
      models: [{ provider: 'openai', model: 'gpt-4o-mini' }],
    });
    db = openDatabase({ path: ':memory:' });
  });
  afterAll(async () => {
    db?.close();
    await lab?.close();
  });

  it('investigates an alert: deterministic evidence first, tool calls on live data, a structured answer with its queries', async () => {
    const model = new ScriptedChatModel([
      {
        toolCalls: [
          { id: 'call_share', name: 'gpu_sharing', args: { namespace: 'llm' } },
          { id: 'call_rb', name: 'fetch_runbook', args: { id: 'gpu-noisy-neighbor' } },
        ],
        usage: { input: 4_100, output: 60, cached: 2_048 },
      },
      (request) => {
        const found = sharing(toolOutput(request, 'call_share'));
        return {
          toolCalls: [
            { id: 'call_logs', name: 'pod_logs', args: { namespace: found.namespace, pod: found.neighbour } },
            { id: 'call_again', name: 'gpu_sharing', args: { namespace: 'llm' } },
            { id: 'call_checks', name: 'run_runbook_checks', args: { id: 'gpu-noisy-neighbor' } },
          ],
          usage: { input: 6_300, output: 95 },
        };
      },
      (request) => {
        const found = sharing(toolOutput(request, 'call_share'));
        return {
          toolCalls: [
            {
              name: 'final_answer',
              args: {
                cause: 'gpu-noisy-neighbor',
                title: 'A batch job time-slices the GPU of one chat-api replica',
                summary: `${found.namespace}/${found.neighbour} shares GPU 3 on ${found.node} with ${found.victim}, which alone got slower.`,
                evidence: [
                  {
                    finding: `GPU 3 on ${found.node} is time-sliced between ${found.neighbour} and ${found.victim}`,
                    sources: ['call_share', 'E1'],
                  },
                  { finding: 'The runbook checks support the cause', sources: ['call_checks'] },
                ],
                remediation: [{ step: `Move ${found.neighbour} off ${found.node}`, runbook: 'gpu-noisy-neighbor' }],
                confidence: 0.9,
                openQuestions: [],
              },
            },
          ],
          usage: { input: 9_800, output: 240 },
        };
      },
    ]);
    const agent = await createAgent(config, { createModel: () => model, db });
    const result = await agent.investigate(scenario.alert);
    expect(result).toMatchObject({ mode: 'llm', status: 'completed', rootCause: { id: 'gpu-noisy-neighbor' } });
    // The first call carries the deterministic evidence, with ids.
    expect(String(model.calls[0]!.messages[1]!.content)).toMatch(/\[E1\] \+ .*embed-batch/);
    const third = model.calls[2]!;
    expect(toolOutput(third, 'call_logs')).not.toMatch(/^\[error\]/);
    expect(toolOutput(third, 'call_again')).toContain('Refused: identical to call call_share');
    expect(toolOutput(third, 'call_checks')).toMatch(/^gpu-noisy-neighbor: score [\d.]+, confidence [\d.]+\n\+ /);
    for (const mention of scenario.expected.mentions) expect(answerText(result)).toContain(mention);
    expect(result.llm!.answer!.evidence[0]!.queries.some((query) => /DCGM/.test(query))).toBe(true);
    expect(result.usage).toMatchObject({
      modelCalls: 3,
      inputTokens: 4_100 + 6_300 + 9_800,
      outputTokens: 60 + 95 + 240,
    });
    const record = await agent.records.get(result.id);
    expect(record.state).toBe('completed');
    expect(record.steps.map((step) => step.kind)).toEqual(
      expect.arrayContaining([
        'admission',
        'deterministic',
        'prompt',
        'model-call',
        'tool-call',
        'tool-refused',
        'answer',
        'finish',
      ]),
    );
    expect(await agent.ledger.ofRecord(result.id)).toMatchObject({
      inputTokens: model.reported.input,
      outputTokens: model.reported.output,
    });
    agent.close();
  });

  it('answers a question: the toolsets it calls for first, then tool calls, then a structured answer', async () => {
    const model = new ScriptedChatModel([
      (request) => ({
        toolCalls: [{ id: 'q_share', name: 'gpu_sharing', args: { namespace: 'llm' } }],
        content: String(request.messages[1]!.content).includes('[E1] vllm_overview')
          ? 'The first look shows one pod degrading.'
          : 'No first look.',
        usage: { input: 3_000, output: 40 },
      }),
      (request) => {
        const found = sharing(toolOutput(request, 'q_share'));
        return {
          toolCalls: [
            {
              name: 'final_answer',
              args: {
                cause: 'gpu-noisy-neighbor',
                title: 'GPU shared with a batch job',
                summary: `${found.victim} shares its GPU on ${found.node} with ${found.neighbour}.`,
                evidence: [
                  { finding: 'KV-cache and running requests rose on one pod only', sources: ['E1'] },
                  { finding: `${found.neighbour} time-slices the same GPU`, sources: ['q_share'] },
                ],
                remediation: [{ step: `Isolate ${found.neighbour}`, runbook: 'gpu-noisy-neighbor' }],
                confidence: 0.7,
              },
            },
          ],
          usage: { input: 4_000, output: 200 },
        };
      },
    ]);
    const agent = await createAgent(config, { createModel: () => model, db });
    const result = await agent.ask(
      'Why is p99 TTFT of chat-api worse than an hour ago in namespace llm? Is its GPU shared?',
      {
        requester: 'cli:test',
      },
    );
    expect(result).toMatchObject({
      kind: 'question',
      mode: 'llm',
      status: 'completed',
      alert: null,
      rootCause: { id: 'gpu-noisy-neighbor' },
    });
    expect(result.llm!.firstLook.map((look) => [look.tool, look.params, look.status])).toEqual([
      ['vllm_overview', { namespace: 'llm', lookback: '1h', top_k: 5 }, 'success'],
      ['gpu_sharing', { namespace: 'llm' }, 'success'],
    ]);
    expect(model.replies[0]!.content).toBe('The first look shows one pod degrading.');
    const offered = (model.calls[0]!.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name);
    // The toolsets the question names (serving, GPUs), the runbook tools and PromQL; not every tool.
    expect(offered).toEqual(
      expect.arrayContaining([
        'vllm_overview',
        'gpu_sharing',
        'prometheus_instant_query',
        'list_runbooks',
        'run_runbook_checks',
        'final_answer',
      ]),
    );
    expect(offered).not.toContain('idle_gpu_cost');
    expect(offered).not.toContain('kubernetes_describe');
    expect(
      result.llm!.answer!.evidence[0]!.queries.some((query) => query.includes('vllm:')),
      JSON.stringify(result.llm!.answer!.evidence[0]),
    ).toBe(true);
    expect(result.llm!.admission).toMatchObject({ team: 'unassigned', teamSource: 'default' });
    expect(
      (await agent.ledger.spendBy('namespace', { sinceDay: '2000-01-01', team: 'unassigned' })).map((row) => [
        row.key,
        row.inputTokens,
      ]),
    ).toEqual([['llm', 7_000]]);
    agent.close();
  });
});
