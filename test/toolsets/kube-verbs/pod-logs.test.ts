import { describe, expect, it } from 'vitest';
import { podLogs } from '../../../src/toolsets/kube-verbs/pod-logs.js';
import { fakeKube } from '../fake-clients.js';

const NOW = new Date('2026-01-10T12:00:00Z');

function log(lines: string[]): Record<string, string> {
  return { 'llm/chat-api-1/vllm': `${lines.join('\n')}\n` };
}

async function run(lines: string[], params: Record<string, unknown> = {}) {
  const kube = fakeKube({ logs: log(lines) });
  return podLogs({ namespace: 'llm', pod: 'chat-api-1', container: 'vllm', ...params }, { kube, now: NOW });
}

describe('podLogs', () => {
  it('says the date once when every line is from one day, and keeps each line otherwise whole', async () => {
    const result = await run(['2026-01-10T11:58:00Z INFO started', '2026-01-10T11:59:30.125Z WARN slow batch']);

    expect(result.status).toBe('success');
    expect(result.text).toBe(
      'Log of chat-api-1/vllm: 2 of the last 2 lines (all on 2026-01-10):\n11:58:00Z INFO started\n11:59:30.125Z WARN slow batch',
    );
    expect(result.data).toEqual({
      lines: ['2026-01-10T11:58:00Z INFO started', '2026-01-10T11:59:30.125Z WARN slow batch'],
      total: 2,
      matched: 2,
    });
  });

  it('keeps full timestamps when lines span several days', async () => {
    const result = await run(['2026-01-09T23:59:00Z INFO a', '2026-01-10T00:00:01Z INFO b']);

    expect(result.text).toContain('\n2026-01-09T23:59:00Z INFO a\n2026-01-10T00:00:01Z INFO b');
  });

  it('folds lines that differ only in their timestamp into one, with the count', async () => {
    const lines = Array.from(
      { length: 50 },
      (_, index) => `2026-01-10T11:${String(index).padStart(2, '0')}:00Z ERROR CUDA out of memory`,
    );
    const result = await run([...lines, '2026-01-10T11:55:00Z INFO exiting']);

    expect(result.text.split('\n').slice(1)).toEqual([
      '11:00:00Z ERROR CUDA out of memory (repeated 50x)',
      '11:55:00Z INFO exiting',
    ]);
  });

  it('keeps only lines matching the filter and not the exclude, case-insensitively', async () => {
    const result = await run(['x ERROR one', 'x info two', 'x error three (retrying)', 'x Error four'], {
      filter: 'error',
      exclude: 'retrying',
    });

    expect(result.text).toBe(
      'Log of chat-api-1/vllm: 2 of the last 4 lines match /error/ and do not match /retrying/:\nx ERROR one\nx Error four',
    );
  });

  it('answers no_data, in words, when the filter matches nothing', async () => {
    const result = await run(['x info one', 'x info two'], { filter: 'oom|xid' });

    expect(result.status).toBe('no_data');
    expect(result.text).toBe('None of the last 2 lines of chat-api-1/vllm match /oom|xid/.');
  });

  it('reads only tail_lines from the API and shows the last top_k, saying how many it left out', async () => {
    const kube = fakeKube({ logs: log(Array.from({ length: 30 }, (_, index) => `line ${index + 1}`)) });
    const result = await podLogs(
      { namespace: 'llm', pod: 'chat-api-1', container: 'vllm', tail_lines: 20, top_k: 5 },
      { kube, now: NOW },
    );

    expect(kube.logRequests[0]?.tailLines).toBe(20);
    expect(result.text).toBe(
      'Log of chat-api-1/vllm: 20 of the last 20 lines, last 5 shown:\nline 26\nline 27\nline 28\nline 29\nline 30',
    );
    expect(result.omitted).toEqual({ what: '15 earlier log lines', hint: expect.stringContaining('filter') });
    expect(result.keep).toBe('tail');
  });

  it('says the log is empty, and asks the API for the previous instance when told to', async () => {
    const kube = fakeKube();
    const result = await podLogs(
      { namespace: 'llm', pod: 'chat-api-1', container: 'vllm', previous: true },
      { kube, now: NOW },
    );

    expect(result).toMatchObject({ status: 'no_data', text: 'Log of chat-api-1/vllm (previous instance) is empty.' });
    expect(kube.logRequests[0]).toMatchObject({ previous: true });
  });

  it('reads the default container, as kubectl does, when none is given and the pod has sidecars', async () => {
    const pod = (annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'chat-api-1', namespace: 'llm', annotations },
      spec: { containers: [{ name: 'vllm' }, { name: 'fluent-bit' }] },
    });
    const logs = { 'llm/chat-api-1/vllm': 'x CUDA out of memory\n', 'llm/chat-api-1/fluent-bit': 'x flushed\n' };
    const first = fakeKube({ objects: [pod({})], logs });
    const annotated = fakeKube({ objects: [pod({ 'kubectl.kubernetes.io/default-container': 'fluent-bit' })], logs });

    const fromFirst = await podLogs({ namespace: 'llm', pod: 'chat-api-1' }, { kube: first, now: NOW });
    const fromAnnotation = await podLogs({ namespace: 'llm', pod: 'chat-api-1' }, { kube: annotated, now: NOW });

    expect(first.logRequests[0]?.container).toBe('vllm');
    expect(fromFirst.text).toBe(
      'Log of chat-api-1/vllm (default container): 1 of the last 1 lines:\nx CUDA out of memory',
    );
    expect(annotated.logRequests[0]?.container).toBe('fluent-bit');
    expect(fromAnnotation.requests).toEqual(['/fake/Pod/chat-api-1', '/fake/log/llm/chat-api-1/fluent-bit']);
  });

  it('leaves the container to the API when the pod has only one', async () => {
    const kube = fakeKube({
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'chat-api-1', namespace: 'llm' },
          spec: { containers: [{ name: 'vllm' }] },
        },
      ],
      logs: { 'llm/chat-api-1': 'x ready\n' },
    });
    const result = await podLogs({ namespace: 'llm', pod: 'chat-api-1' }, { kube, now: NOW });

    expect(kube.logRequests[0]?.container).toBeUndefined();
    expect(result.text).toBe('Log of chat-api-1: 1 of the last 1 lines:\nx ready');
  });
});
