import { describe, expect, it } from 'vitest';
import { groupLogLines, normaliseLogLine } from '../../../src/toolsets/diagnostics/group-log-lines.js';
import type { PodLogLines } from '../../../src/toolsets/diagnostics/read-pod-logs.js';

const log = (pod: string, lines: string[], previous = false): PodLogLines => ({
  pod,
  namespace: 'shop',
  container: 'api',
  previous,
  lines,
});

describe('normaliseLogLine', () => {
  it('sets aside timestamps, ids, addresses and counts when they vary between pods', () => {
    const first = normaliseLogLine(
      '2026-01-10T11:58:01.123Z ERROR req=3f2a9c1e-77b1-4c55-9a0e-0c3e0d9b1a77 dial tcp 10.20.4.17:5432: connect: connection refused after 3 retries in 120ms',
      undefined,
    );
    const second = normaliseLogLine(
      '2026-01-10T11:59:42Z ERROR req=a81c0f3b-1d2e-4f60-8b7a-93c2d4e5f601 dial tcp 10.20.9.3:5432: connect: connection refused after 5 retries in 95ms',
      undefined,
    );
    expect(first).toBe(second);
    expect(first).toBe('ERROR req=<id> dial tcp <ip>:<n>: connect: connection refused after <n> retries in <n>');
  });

  it('keeps digits that are part of a word, so fp8 and fp16 stay different messages', () => {
    expect(normaliseLogLine('precision=fp8 on A10G', undefined)).not.toBe(
      normaliseLogLine('precision=fp16 on A10G', undefined),
    );
  });

  it('replaces the names of the pods and nodes it is given', () => {
    const names = /api-7c9f-abcde|api-7c9f-fghij/g;
    expect(normaliseLogLine('api-7c9f-abcde ready', names)).toBe(normaliseLogLine('api-7c9f-fghij ready', names));
  });
});

describe('groupLogLines', () => {
  it('counts the pods that log the same message and puts errors first when lines differ only in volatile parts', () => {
    const pods = Array.from({ length: 40 }, (_, index) => `orders-5d8f-${String(index).padStart(5, 'x')}`);
    const logs = pods.map((pod, index) =>
      log(pod, [
        `2026-01-10T11:5${index % 10}:00Z INFO served ${100 + index} requests`,
        ...(index < 37
          ? [`2026-01-10T11:5${index % 10}:30Z ERROR connection refused to orders-db:5432 (attempt ${index})`]
          : []),
      ]),
    );
    const groups = groupLogLines(logs);
    expect(groups[0]).toMatchObject({ severity: 'error', pods: 37, count: 37 });
    expect(groups[0]!.message).toMatch(/^ERROR connection refused to orders-db:5432/);
    expect(groups[1]).toMatchObject({ severity: 'info', pods: 40 });
  });

  it('names the nodes and the unhealthy pods of a message, and whether a crashed instance logged it', () => {
    const logs = [
      log('ocr-1', ['ERROR invalid configuration: precision fp8 not supported'], true),
      log('ocr-2', ['ERROR invalid configuration: precision fp8 not supported'], true),
      log('ocr-3', ['INFO model ready']),
    ];
    const groups = groupLogLines(logs, {
      nodeOf: new Map([
        ['ocr-1', 'node-new'],
        ['ocr-2', 'node-new'],
        ['ocr-3', 'node-old'],
      ]),
      unhealthy: new Set(['ocr-1', 'ocr-2']),
    });
    expect(groups[0]).toMatchObject({
      kind: 'configError',
      pods: 2,
      unhealthyPods: 2,
      nodes: ['node-new'],
      previous: true,
      podNames: ['ocr-1', 'ocr-2'],
    });
    expect(groups[1]).toMatchObject({ kind: null, pods: 1, unhealthyPods: 0, nodes: ['node-old'], previous: false });
  });

  it('keeps only lines matching the filter when one is given', () => {
    const groups = groupLogLines([log('a', ['INFO ok', 'lookup x on 10.96.0.10:53: no such host'])], {
      filter: /no such host/i,
    });
    expect(groups.map((group) => group.message)).toEqual(['lookup x on 10.96.0.10:53: no such host']);
  });

  it('cuts a long example to the length asked for', () => {
    const [group] = groupLogLines([log('a', [`ERROR ${'x'.repeat(1000)}`])], { maxMessage: 50 });
    expect(group!.message).toHaveLength(51);
  });
});
