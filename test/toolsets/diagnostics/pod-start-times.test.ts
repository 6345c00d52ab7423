import { describe, expect, it } from 'vitest';
import { readPodStartTimes } from '../../../src/toolsets/diagnostics/pod-start-times.js';
import { fakePrometheus } from '../fake-clients.js';

const NOW = new Date('2026-01-10T12:00:00Z');

describe('readPodStartTimes', () => {
  it('reads the pods asked about from kube_pod_start_time in ms, leaving out others the regex also matched', async () => {
    const prometheus = fakePrometheus({
      instant: () => [
        { labels: { namespace: 'batch', pod: 'embed-7' }, value: [0, 1_768_039_200] },
        { labels: { namespace: 'search', pod: 'embed-7' }, value: [0, 1_768_000_000] },
      ],
    });
    const { started, requests } = await readPodStartTimes(
      prometheus,
      {
        pods: [
          { namespace: 'batch', pod: 'embed-7' },
          { namespace: 'search', pod: 'ranker-1' },
        ],
      },
      NOW,
    );
    expect([...started]).toEqual([['batch/embed-7', 1_768_039_200_000]]);
    expect(prometheus.queries).toEqual([
      'max by (namespace, pod) (kube_pod_start_time{namespace=~"(?:batch|search)", pod=~"(?:embed-7|ranker-1)"})',
    ]);
    expect(requests).toHaveLength(1);
  });

  it('escapes a hostile pod name so that it matches only itself', async () => {
    const prometheus = fakePrometheus();
    await readPodStartTimes(prometheus, { pods: [{ namespace: 'a', pod: '.*"} or vector(1) #' }] }, NOW);
    expect(prometheus.queries[0]).toContain('pod=~"\\\\.\\\\*\\"\\\\} or vector\\\\(1\\\\) #"');
  });

  it('knows no start when Prometheus fails or is not configured', async () => {
    const failing = fakePrometheus({
      instant: () => {
        throw new Error('503');
      },
    });
    expect((await readPodStartTimes(failing, { namespaces: ['a'] }, NOW)).started.size).toBe(0);
    expect((await readPodStartTimes(undefined, { namespaces: ['a'] }, NOW)).started.size).toBe(0);
  });
});
