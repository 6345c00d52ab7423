import { describe, expect, it } from 'vitest';
import { slackTestbed } from './fixtures/slack-testbed.js';
import type { InvestigationResult } from '../../../src/core/investigation.js';
import { TOKEN } from '../../server/fixtures/spawn-serve.js';
import { makeAlert } from '../../server/fixtures/webhook.js';
import { ALERTS_CHANNEL, GPU_CHANNEL, startSlackServer } from './fixtures/slack-server.js';
import { type ApiCall } from './fixtures/slack-stand-in.js';

type Block = { type: string; text?: { text: string }; elements?: Array<Record<string, unknown>> };
const blocksOf = (call: ApiCall) => call.params.blocks as Block[];
const textOf = (call: ApiCall) =>
  blocksOf(call)
    .map((block) =>
      [block.text?.text ?? '', ...(block.elements ?? []).map((element) => JSON.stringify(element))].join('\n'),
    )
    .join('\n');

const alert = (labels: Record<string, string> = {}, status: 'firing' | 'resolved' = 'firing') =>
  makeAlert(
    { alertname: 'InferenceP99High', severity: 'critical', namespace: 'llm', service: 'chat-api', ...labels },
    { status },
  );

// The receiver (HTTP or Socket Mode) changes how Slack reaches Holmes, not how Holmes posts: both must post the same.
const bed = slackTestbed();

describe.each(['http', 'socket'] as const)('Slack: investigation messages (%s mode)', (mode) => {
  it('posts an investigating message when an alert arrives, then updates it with the result and posts the report in its thread', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    bed.running = await startSlackServer({ standIn: bed.standIn, mode, storagePath: bed.path, hold: () => held });
    expect(bed.standIn.callsOf('auth.test')).toHaveLength(1);
    const response = await bed.running.postWebhook('{}:{alertname="InferenceP99High"}', [alert()]);
    expect(response.status).toBe(200);

    const [post] = await bed.standIn.until(
      () => bed.standIn.callsOf('chat.postMessage').length > 0 && bed.standIn.callsOf('chat.postMessage'),
    );
    expect(post!.params.channel).toBe(ALERTS_CHANNEL);
    expect(textOf(post!)).toContain('Investigating');
    expect(blocksOf(post!)[0]).toMatchObject({
      type: 'header',
      text: { text: '🔥 InferenceP99High · critical · FIRING' },
    });
    release();

    const [update] = await bed.standIn.until(
      () => bed.standIn.callsOf('chat.update').length > 0 && bed.standIn.callsOf('chat.update'),
    );
    const ts = post!.answer!.ts;
    expect(update!.params).toMatchObject({ channel: ALERTS_CHANNEL, ts });
    const text = textOf(update!);
    expect(text).toContain(
      '*Root cause:* Another workload shares the same physical GPU (`gpu-noisy-neighbor`) · confidence 90%',
    );
    expect(text).toContain('✅ ml-batch/embed-batch-r4812 time-slices gpu 3 on gpu-a100-07 with chat-api-2xkqp');
    expect(text).toContain('*Remediation* from runbook `gpu-noisy-neighbor`');
    expect(text).toContain('1. Move embed-batch off gpu-a100-07');
    expect(text).toMatch(/Mode \*deterministic\* · 0 tokens · \$0\.00/);
    const actions = blocksOf(update!).find((block) => block.type === 'actions')!.elements!;
    expect(actions.map((element) => (element.text as { text: string }).text)).toEqual([
      'Prometheus graph',
      'Silence…',
      'Show evidence',
    ]);
    expect(actions[0]).toMatchObject({ url: 'http://prometheus:9090/graph' });
    expect(String(actions[1]!.url)).toMatch(
      /^http:\/\/alertmanager\.example:9093\/#\/silences\/new\?filter=%7Balertname%3D%22InferenceP99High%22%2C/,
    );

    // The full report goes in the message's thread.
    const report = await bed.standIn.until(() =>
      bed.standIn.callsOf('chat.postMessage').find((call) => call.params.thread_ts),
    );
    expect(report.params.thread_ts).toBe(ts);
    expect(textOf(report)).toContain('*Full report*');
    expect(textOf(report)).toContain('`max by (gpu) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="llm"})`');
  });

  it("shows the agent's step in the investigation's message while it runs", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    bed.running = await startSlackServer({
      standIn: bed.standIn,
      mode,
      storagePath: bed.path,
      hold: async (job) => {
        // What the agent reports after a model turn that asks for a tool.
        job.onEvent({ kind: 'model-call', data: { toolCalls: [{ id: 'c1', name: 'gpu_sharing', args: {} }] } });
        await held;
      },
    });
    await bed.running.postWebhook('{}:{alertname="InferenceP99High"}', [alert()]);
    await bed.standIn.until(
      () =>
        bed.standIn
          .okCallsOf('chat.postMessage')
          .some((call) => textOf(call).includes('⏳ *Investigating*: calling `gpu_sharing`…')) ||
        bed.standIn
          .okCallsOf('chat.update')
          .some((call) => textOf(call).includes('⏳ *Investigating*: calling `gpu_sharing`…')),
    );
    release();
    const done = await bed.standIn.until(() =>
      bed.standIn.okCallsOf('chat.update').find((call) => textOf(call).includes('Root cause')),
    );
    expect(textOf(done)).not.toContain('calling `gpu_sharing`');
  });

  it('routes an alert by its labels and updates the same message when it resolves', async () => {
    bed.running = await startSlackServer({ standIn: bed.standIn, mode, storagePath: bed.path });
    const groupKey = '{}:{alertname="InferenceP99High"}';
    const firing = alert({ team: 'ml-platform' });
    await bed.running.postWebhook(groupKey, [firing]);
    await bed.standIn.until(() => bed.standIn.callsOf('chat.update').length > 0);
    const posted = bed.standIn.callsOf('chat.postMessage').find((call) => !call.params.thread_ts)!;
    expect(posted.params.channel).toBe(GPU_CHANNEL);
    const messageTs = bed.standIn.callsOf('chat.update')[0]!.params.ts;

    await bed.running.postWebhook(groupKey, [{ ...firing, status: 'resolved', endsAt: '2026-11-26T07:00:00Z' }]);
    const resolved = await bed.standIn.until(() =>
      bed.standIn.callsOf('chat.update').find((call) => textOf(call).includes('RESOLVED')),
    );
    expect(resolved.params).toMatchObject({ channel: GPU_CHANNEL, ts: messageTs });
    expect(blocksOf(resolved)[0]).toMatchObject({ text: { text: '✅ InferenceP99High · critical · RESOLVED' } });
    // Still the root cause; a resolved alert needs no silence.
    expect(textOf(resolved)).toContain('gpu-noisy-neighbor');
    expect(textOf(resolved)).not.toContain('Silence');
    expect(bed.standIn.callsOf('chat.postMessage').filter((call) => !call.params.thread_ts)).toHaveLength(1);
  });

  it('cuts an oversized report to Slack limits with a visible note and puts the full text in the thread', async () => {
    const long = Array.from({ length: 400 }, (_, index) => `sentence ${index} of a very long summary`).join(' ');
    const shape = (result: InvestigationResult): InvestigationResult => ({
      ...result,
      rootCause: { ...result.rootCause!, summary: `${long} THE-END` },
      remediation: {
        runbook: 'gpu-noisy-neighbor',
        steps: Array.from({ length: 60 }, (_, index) => ({
          title: `step ${index}`,
          command: `kubectl -n llm describe pod chat-api-${index}`,
        })),
      },
    });
    bed.running = await startSlackServer({ standIn: bed.standIn, mode, storagePath: bed.path, shape });
    await bed.running.postWebhook('{}:{alertname="InferenceP99High"}', [alert()]);
    const update = await bed.standIn.until(() => bed.standIn.callsOf('chat.update')[0]);
    // The stand-in refuses what Slack refuses (invalid_blocks): the update went through, within limits.
    const blocks = blocksOf(update);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    expect(textOf(update)).toContain('✂ Cut to fit Slack; the full text is in the thread.');
    expect(textOf(update)).not.toContain('THE-END');
    // The thread holds all of it: the end of the summary and the 60th step.
    await bed.standIn.until(() => {
      const thread = bed.standIn
        .callsOf('chat.postMessage')
        .filter((call) => call.params.thread_ts)
        .map(textOf)
        .join('\n');
      return thread.includes('THE-END') && thread.includes('kubectl -n llm describe pod chat-api-59');
    });
  });

  it('delivers the message once after the Web API was down, honouring Retry-After on a 429', async () => {
    bed.standIn.setDown(true);
    bed.running = await startSlackServer({ standIn: bed.standIn, mode, storagePath: bed.path });
    await bed.running.postWebhook('{}:{alertname="InferenceP99High"}', [alert()]);
    // Tried and refused while Slack is down; the investigation itself finishes regardless.
    await bed.standIn.until(() => bed.standIn.callsOf('chat.postMessage').length >= 1);
    await bed.standIn.until(() => bed.running!.runs.length === 1);
    // The message waits in the outbox, visible in /metrics.
    const metrics = await fetch(`${bed.running.server.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    }).then((response) => response.text());
    expect(metrics).toMatch(/holmes_outbox_messages\{channel="slack",state="(pending|sending)"\} [1-9]/);
    bed.standIn.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    bed.standIn.setDown(false);
    await bed.standIn.until(() => bed.standIn.okCallsOf('chat.postMessage').some((call) => call.params.thread_ts));
    const tops = bed.standIn.callsOf('chat.postMessage').filter((call) => !call.params.thread_ts);
    // 503 (down), 429 (rate limited), then accepted: one message, and it already shows the result.
    expect(tops.map((call) => call.status)).toEqual([...tops.slice(0, -2).map(() => 503), 429, 200]);
    expect(bed.standIn.okCallsOf('chat.postMessage').filter((call) => !call.params.thread_ts)).toHaveLength(1);
    expect(textOf(tops.at(-1)!)).toContain('gpu-noisy-neighbor');
  });
});
