import { ToolMessage } from '@langchain/core/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './agent-harness.js';
import type { AgentEvent } from '../../src/agent/run-agent.js';
import { ALERT, finalAnswer } from './fake-investigator.js';

let harness: Harness | undefined;
afterEach(() => harness?.close());

const toolMessages = (harness: Harness, call: number) =>
  harness.model.calls[call]!.messages.filter((message) => ToolMessage.isInstance(message)) as ToolMessage[];

describe('runAgent (scripted model, fake toolbox)', () => {
  it('starts from the deterministic evidence, runs tool calls and ends with a validated answer whose findings carry their queries', async () => {
    harness = await createHarness([
      {
        toolCalls: [
          { id: 'call_share', name: 'gpu_sharing', args: { namespace: 'llm' } },
          { id: 'call_rb', name: 'fetch_runbook', args: { id: 'gpu-noisy-neighbor' } },
        ],
        usage: { input: 1200, output: 40 },
      },
      { toolCalls: [finalAnswer(['E1', 'call_share'])], usage: { input: 2600, output: 210 } },
    ]);
    const result = await harness.agent.investigate(ALERT, { requester: 'cli:alice' });
    expect(result).toMatchObject({
      mode: 'llm',
      status: 'completed',
      kind: 'alert',
      rootCause: { id: 'gpu-noisy-neighbor', confidence: 0.85 },
    });
    const first = harness.model.calls[0]!.messages.map((message) => String(message.content)).join('\n');
    expect(first).toContain('[E1] + gpu-shared: ml-batch/embed-batch-r4812 time-slices gpu 3');
    expect(toolMessages(harness, 1).map((message) => message.content)).toEqual([
      expect.stringContaining('ml-batch/embed-batch-r4812 busy 99%'),
      expect.stringContaining('# gpu-noisy-neighbor'),
    ]);
    expect(result.llm!.answer!.evidence[0]!.queries).toEqual([
      'max by (gpu) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="llm"})',
      'max by (gpu, Hostname, pod) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)',
    ]);
    expect(result.remediation?.runbook).toBe('gpu-noisy-neighbor');
    expect(result.usage).toMatchObject({ modelCalls: 2, inputTokens: 3800, outputTokens: 250 });
    expect(result.llm!.admission).toMatchObject({ team: 'chat', teamSource: 'label team', mode: 'llm' });
  });

  it('refuses an identical repeated call and hands a tool error back to the model instead of stopping', async () => {
    harness = await createHarness([
      {
        toolCalls: [
          { id: 'call_a', name: 'gpu_sharing', args: { namespace: 'llm' } },
          { id: 'call_ev', name: 'kubernetes_events', args: { namespace: 'llm' } },
        ],
        usage: { input: 1000, output: 30 },
      },
      {
        toolCalls: [{ id: 'call_b', name: 'gpu_sharing', args: { namespace: 'llm' } }],
        usage: { input: 1500, output: 20 },
      },
      { toolCalls: [finalAnswer(['call_a'])], usage: { input: 1800, output: 200 } },
    ]);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    const afterFirst = toolMessages(harness, 1);
    expect(afterFirst.find((message) => message.tool_call_id === 'call_ev')?.content).toMatch(/^\[error\] /);
    const afterSecond = toolMessages(harness, 2).find((message) => message.tool_call_id === 'call_b');
    expect(afterSecond?.content).toContain('Refused: identical to call call_a');
    // The refused call never reached the toolbox.
    expect(harness.investigator.toolCalls.filter((call) => call.name === 'gpu_sharing')).toHaveLength(1);
  });

  it('returns the validation problems of an invalid answer to the model and accepts the corrected one', async () => {
    harness = await createHarness([
      {
        toolCalls: [finalAnswer(['call_nowhere'], { cause: 'gpu-noisy-neighbour' })],
        usage: { input: 900, output: 150 },
      },
      { toolCalls: [finalAnswer(['E1'])], usage: { input: 1300, output: 150 } },
    ]);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    const problem = String(toolMessages(harness, 1)[0]!.content);
    expect(problem).toContain('Invalid answer');
    expect(problem).toContain('cause');
    const record = await harness.agent.records.get(result.id);
    expect(record.steps.map((step) => step.kind)).toContain('answer-invalid');
  });

  it('offers only final_answer on the last step and after the tool-call cap is reached', async () => {
    harness = await createHarness(
      [
        {
          toolCalls: [
            { id: 'c1', name: 'gpu_sharing', args: { namespace: 'llm' } },
            { id: 'c2', name: 'vllm_overview', args: {} },
          ],
          usage: { input: 800, output: 20 },
        },
        { toolCalls: [finalAnswer(['c1'])], usage: { input: 1000, output: 150 } },
      ],
      { budget: { perInvestigation: { maxToolCalls: 1 } } },
    );
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    expect(String(toolMessages(harness, 1).find((message) => message.tool_call_id === 'c2')?.content)).toContain(
      'Refused: tool call vllm_overview would pass the cap of 1',
    );
    const offered = (harness.model.calls[1]!.tools as Array<{ function: { name: string } }>).map(
      (tool) => tool.function.name,
    );
    expect(offered).toEqual(['final_answer']);
  });

  it('reminds once when the model answers in prose, then ends degraded with its words as the partial answer', async () => {
    harness = await createHarness([
      { content: 'It is probably the GPU neighbour.', usage: { input: 700, output: 12 } },
      { content: 'Still the GPU neighbour, I think.', usage: { input: 800, output: 10 } },
    ]);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('degraded');
    expect(result.llm!.partialAnswer).toContain('Still the GPU neighbour');
    // The deterministic cause stands when the model gave no structured answer.
    expect(result.rootCause?.id).toBe('gpu-noisy-neighbor');
  });

  it('accepts an answer given as JSON text by a model without tool calling', async () => {
    harness = await createHarness([
      { content: `Here it is: ${JSON.stringify(finalAnswer(['E1']).args)}`, usage: { input: 700, output: 190 } },
    ]);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    expect(result.llm!.answer?.cause).toBe('gpu-noisy-neighbor');
  });

  it('ends degraded with the deterministic result when every model fails', async () => {
    harness = await createHarness([
      Object.assign(new Error('Service Unavailable'), { status: 503 }),
      Object.assign(new Error('Service Unavailable'), { status: 503 }),
    ]);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('degraded');
    expect(result.llm!.stopReason).toContain('No model answered');
    expect(result.rootCause?.id).toBe('gpu-noisy-neighbor');
    expect((await harness.agent.records.get(result.id)).state).toBe('degraded');
  });

  it('streams replies as they are written when asked to, and ends with the same answer and usage', async () => {
    harness = await createHarness([
      {
        content: 'Looking at who shares the GPU first.',
        toolCalls: [{ id: 'call_s', name: 'gpu_sharing', args: { namespace: 'llm' } }],
        usage: { input: 1_100, output: 30 },
      },
      { toolCalls: [finalAnswer(['call_s'])], usage: { input: 1_400, output: 190 } },
    ]);
    const events: AgentEvent[] = [];
    const result = await harness.agent.investigate(ALERT, { stream: true, onEvent: (event) => events.push(event) });
    const written = (kind: string) =>
      events
        .filter((event) => event.kind === kind)
        .map((event) => String(event.data.text))
        .join('');
    expect(events.filter((event) => event.kind === 'text-delta').length).toBeGreaterThan(1);
    expect(written('text-delta')).toBe('Looking at who shares the GPU first.');
    expect(written('answer-delta')).toBe(String(finalAnswer([]).args.summary));
    expect(result).toMatchObject({ status: 'completed', rootCause: { id: 'gpu-noisy-neighbor' } });
    expect(result.usage).toMatchObject({ inputTokens: 2_500, outputTokens: 220 });
    expect(harness.investigator.toolCalls.map((call) => call.name)).toEqual(['gpu_sharing']);
  });
});
