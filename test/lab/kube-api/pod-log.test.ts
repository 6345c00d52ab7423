import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { readPodLog } from '../../../src/lab/kube-api/pod-log.js';
import type { ScenarioLog } from '../../../src/lab/scenario.js';

const now = new Date('2025-06-01T12:00:00Z');
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'vllm-0', namespace: 'llm' },
  spec: { initContainers: [{ name: 'fetch-weights' }], containers: [{ name: 'vllm' }, { name: 'metrics' }] },
};
const logs: ScenarioLog[] = [
  {
    namespace: 'llm',
    pod: 'vllm-0',
    container: 'vllm',
    previous: false,
    lines: [
      'booting',
      '2025-06-01T11:50:00Z loaded weights',
      'Traceback (most recent call last):',
      '2025-06-01T11:59:30.250Z KV cache usage 98%',
    ],
  },
  { namespace: 'llm', pod: 'vllm-0', container: 'metrics', previous: false, lines: ['héllo wörld'] },
];

function read(query: Record<string, string>) {
  return readPodLog(pod, logs, new URLSearchParams(query), now);
}

function textOf(query: Record<string, string>): string {
  const result = read(query);
  if (result.kind !== 'text') throw new Error(`expected text, got ${JSON.stringify(result.status)}`);
  return result.text;
}

describe('readPodLog', () => {
  it('lists every container, init ones first, when several exist and none is named', () => {
    const result = read({});
    expect(result).toMatchObject({ kind: 'status', status: { code: 400, reason: 'BadRequest' } });
    if (result.kind === 'status') {
      expect(result.status.message).toBe(
        'a container name must be specified for pod vllm-0, choose one of: [fetch-weights vllm metrics]',
      );
    }
  });

  it('serves an init container and an empty log when the container has no lines', () => {
    expect(textOf({ container: 'fetch-weights' })).toBe('');
    expect(textOf({ container: 'vllm', previous: 'true' })).toBe('');
  });

  it('keeps lines without a time and drops older timed lines when sinceSeconds or sinceTime is given', () => {
    expect(textOf({ container: 'vllm', sinceSeconds: '60' })).toBe(
      'booting\nTraceback (most recent call last):\n2025-06-01T11:59:30.250Z KV cache usage 98%\n',
    );
    expect(textOf({ container: 'vllm', sinceTime: '2025-06-01T11:45:00Z' }).split('\n')).toHaveLength(5);
  });

  it('takes the last lines before filtering by time when tailLines and sinceSeconds are combined', () => {
    expect(textOf({ container: 'vllm', tailLines: '2', sinceSeconds: '60' })).toBe(
      'Traceback (most recent call last):\n2025-06-01T11:59:30.250Z KV cache usage 98%\n',
    );
    expect(textOf({ container: 'vllm', tailLines: '0' })).toBe('');
  });

  it('prefixes untimed lines with the time before them when timestamps=true', () => {
    expect(textOf({ container: 'vllm', timestamps: 'true' }).split('\n').slice(0, 3)).toEqual([
      '2025-06-01T11:50:00Z booting',
      '2025-06-01T11:50:00Z loaded weights',
      '2025-06-01T11:50:00Z Traceback (most recent call last):',
    ]);
  });

  it('cuts the log on a character boundary when limitBytes falls inside a character', () => {
    expect(textOf({ container: 'metrics', limitBytes: '2' })).toBe('h');
    expect(textOf({ container: 'metrics', limitBytes: '3' })).toBe('hé');
  });

  it('rejects invalid parameters with a BadRequest Status', () => {
    const queries: Array<Record<string, string>> = [
      { container: 'vllm', tailLines: 'ten' },
      { container: 'vllm', sinceSeconds: '0' },
      { container: 'vllm', sinceSeconds: '5', sinceTime: '2025-06-01T11:45:00Z' },
      { container: 'vllm', sinceTime: 'yesterday' },
      { container: 'sidecar' },
    ];
    for (const query of queries) {
      expect(read(query)).toMatchObject({ kind: 'status', status: { code: 400 } });
    }
  });
});
