import { describe, expect, it } from 'vitest';
import { findNeighbours, type NeighbourInput } from '../../../src/toolsets/builtins/gpu-neighbours.js';
import { attributionsOf } from '../../../src/toolsets/builtins/gpu-workloads.js';
import { createPodMatcher } from '../../../src/toolsets/signals/workload-scope.js';
import { dcgmProfile, exported, plain, samples } from './gpu-dcgm-fixtures.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 16 * MINUTE;
const aliases = { Hostname: 'node', hostname: 'node' };
const isOurs = createPodMatcher({ namespace: 'search', workload: 'reranker', pods: ['reranker-6d9c7b8f5-k2x9w'] });
const node = (name: string, extra: Partial<NeighbourInput['nodes'][number]> = {}) => ({
  node: name,
  sharing: 'time-slicing',
  replicas: 4,
  physical: 4,
  capacity: 16,
  allocatable: 16,
  timeSliced: true,
  ...extra,
});
const base = (overrides: Partial<NeighbourInput>): NeighbourInput => ({
  attributions: [],
  current: [],
  nodes: [],
  pods: [],
  kubeRead: true,
  isOurs,
  alertStartMs: ALERT,
  nowMs: NOW,
  ...overrides,
});

describe('findNeighbours', () => {
  it('dates a neighbour by kube_pod_start_time when Kubernetes was not read, not by its first attribution', () => {
    const attributions = attributionsOf(
      [
        {
          labels: plain('3', 'n1', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }),
          values: samples(NOW, 300, 30_000, () => 60),
        },
        {
          labels: plain('3', 'n1', { namespace: 'batch', pod: 'embed-7' }),
          values: samples(NOW, 60, 30_000, () => 98),
        },
      ],
      aliases,
      dcgmProfile('plain'),
    );
    const started = NOW - 300 * MINUTE;
    const dated = findNeighbours(
      base({ attributions, kubeRead: false, startTimes: new Map([['batch/embed-7', started]]) }),
    );
    expect(dated.neighbours[0]).toMatchObject({
      since: new Date(started).toISOString(),
      minutesBeforeAlert: Math.round((ALERT - started) / MINUTE),
    });
    const undated = findNeighbours(base({ attributions, kubeRead: false }));
    expect(Date.parse(undated.neighbours[0]!.since!)).toBeGreaterThan(started);
  });

  it('finds a neighbour when the exporter attributes one GPU to both pods at once (plain labels)', () => {
    const attributions = attributionsOf(
      [
        {
          labels: plain('3', 'n1', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }),
          values: samples(NOW, 300, 30_000, () => 60),
        },
        {
          labels: plain('3', 'n1', { namespace: 'batch', pod: 'embed-7' }),
          values: samples(NOW, 60, 30_000, () => 98),
        },
      ],
      aliases,
      dcgmProfile('plain'),
    );
    const findings = findNeighbours(base({ attributions, kubeRead: false }));

    expect(findings.neighbours).toEqual([
      expect.objectContaining({
        namespace: 'batch',
        pod: 'embed-7',
        gpu: '3',
        node: 'n1',
        how: 'shares',
        victims: ['reranker-6d9c7b8f5-k2x9w'],
      }),
    ]);
    expect(findings.ours.gpus).toEqual(['gpu 3 on n1']);
  });

  it('finds a neighbour when the attribution of a time-sliced GPU switches while both pods still run there (exported_* labels)', () => {
    const attributions = attributionsOf(
      [
        {
          labels: exported('1', 'b07', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }),
          values: samples(NOW - 42 * MINUTE, 270, 30_000, () => 44),
        },
        {
          labels: exported('1', 'b07', { namespace: 'batch', pod: 'backfill-8v2ls' }),
          values: samples(NOW, 84, 30_000, () => 97),
        },
        { labels: exported('0', 'b07'), values: samples(NOW, 360, 30_000, () => 0) },
      ],
      aliases,
      dcgmProfile('exported'),
    );
    const pods = [
      { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w', node: 'b07', gpus: 1, startedMs: NOW - 3 * 86_400_000 },
      { namespace: 'batch', pod: 'backfill-8v2ls', node: 'b07', gpus: 1, startedMs: NOW - 42 * MINUTE },
    ];
    const findings = findNeighbours(base({ attributions, pods, nodes: [node('b07')] }));

    expect(findings.neighbours).toEqual([
      expect.objectContaining({ pod: 'backfill-8v2ls', how: 'attribution-switched', minutesBeforeAlert: 26 }),
    ]);
  });

  it('finds no neighbour when our pod was replaced by another workload after it left the node', () => {
    const attributions = attributionsOf(
      [
        {
          labels: exported('1', 'b07', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }),
          values: samples(NOW - 42 * MINUTE, 100, 30_000, () => 44),
        },
        {
          labels: exported('1', 'b07', { namespace: 'batch', pod: 'backfill-8v2ls' }),
          values: samples(NOW, 84, 30_000, () => 97),
        },
      ],
      aliases,
      dcgmProfile('exported'),
    );
    const pods = [{ namespace: 'batch', pod: 'backfill-8v2ls', node: 'b07', gpus: 1, startedMs: NOW - 42 * MINUTE }];

    expect(findNeighbours(base({ attributions, pods, nodes: [node('b07')] })).neighbours).toEqual([]);
  });

  it('finds a GPU pod the exporter never names on a one-GPU time-sliced node as a neighbour', () => {
    const attributions = attributionsOf(
      [
        {
          labels: plain('0', 'n118', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }),
          values: samples(NOW, 300, 30_000, () => 80),
        },
      ],
      aliases,
      dcgmProfile('plain'),
    );
    const pods = [
      { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w', node: 'n118', gpus: 1, startedMs: NOW - 8 * 86_400_000 },
      { namespace: 'notebooks', pod: 'jupyter-priya', node: 'n118', gpus: 1, startedMs: NOW - 37 * MINUTE },
    ];
    const findings = findNeighbours(
      base({ attributions, pods, nodes: [node('n118', { physical: 1, replicas: 2, allocatable: 2 })] }),
    );

    expect(findings.neighbours).toEqual([expect.objectContaining({ pod: 'jupyter-priya', how: 'hidden', gpu: '0' })]);
  });

  it('lists an unattributed GPU pod as possible only when the node has other GPUs in use', () => {
    const attributions = attributionsOf(
      [
        {
          labels: plain('0', 'n1', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }),
          values: samples(NOW, 300, 30_000, () => 80),
        },
        {
          labels: plain('3', 'n1', { namespace: 'safety', pod: 'classifier-1' }),
          values: samples(NOW, 300, 30_000, () => 90),
        },
      ],
      aliases,
      dcgmProfile('plain'),
    );
    const pods = [{ namespace: 'notebooks', pod: 'jupyter-priya', node: 'n1', gpus: 1, startedMs: NOW - 37 * MINUTE }];
    const findings = findNeighbours(base({ attributions, pods, nodes: [node('n1')] }));

    expect(findings.neighbours).toEqual([]);
    expect(findings.possible).toEqual([{ namespace: 'notebooks', pod: 'jupyter-priya', node: 'n1' }]);
  });

  it('treats other workloads in MIG instances of their own as isolated, not neighbours', () => {
    const attributions = attributionsOf(
      [
        {
          labels: { ...plain('0', 'n1', { namespace: 'search', pod: 'reranker-6d9c7b8f5-k2x9w' }), GPU_I_ID: '1' },
          values: samples(NOW, 300, 30_000, () => 0),
        },
        {
          labels: { ...plain('0', 'n1', { namespace: 'ocr', pod: 'ocr-1' }), GPU_I_ID: '2' },
          values: samples(NOW, 300, 30_000, () => 0),
        },
      ],
      aliases,
      dcgmProfile('plain'),
    );
    const findings = findNeighbours(base({ attributions, kubeRead: false }));

    expect(findings.neighbours).toEqual([]);
    expect(findings.isolated).toEqual(['ocr/ocr-1']);
  });
});
