import { describe, expect, it } from 'vitest';
import { workloadLogs } from '../../../src/toolsets/builtins/workload-logs.js';
import { fakeKube } from '../fake-clients.js';
import { context, object } from './kube-objects.js';

const running = {
  phase: 'Running',
  containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
};
const crashing = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      ready: false,
      restartCount: 12,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    },
  ],
};

function pod(name: string, node: string, status: object) {
  return object('Pod', name, 'fin', { spec: { nodeName: node, containers: [{ name: 'app' }] }, status });
}

describe('workloadLogs', () => {
  it('reads every pod, the crashed instances of restarted ones, and says how many pods share a message', async () => {
    const names = [
      'ocr-7f8c9d6b4b-aaxq1',
      'ocr-7f8c9d6b4b-aaxq2',
      'ocr-7f8c9d6b4b-aaxq3',
      'ocr-7f8c9d6b4b-bbxq1',
      'ocr-7f8c9d6b4b-bbxq2',
    ];
    const objects = names.map((name) =>
      name.includes('-aa') ? pod(name, 'node-new', crashing) : pod(name, 'node-old', running),
    );
    const logs: Record<string, string> = {};
    for (const name of names) logs[`fin/${name}/app`] = 'INFO starting\nINFO serving on :8080\n';
    const kube = fakeKube({
      objects,
      podLogs: async (options) =>
        options.previous
          ? `INFO starting\n2026-01-10T11:5${options.pod.at(-1)}:00Z ERROR invalid configuration: precision fp8 is not supported\n`
          : (logs[`fin/${options.pod}/app`] ?? ''),
    });
    const output = await workloadLogs({ namespace: 'fin', workload: 'ocr' }, context(kube));
    const data = output.data as {
      pods: number;
      podsRead: number;
      unhealthy: string[];
      crashedRead: number;
      groups: Array<{ kind: string | null; pods: number; unhealthyPods: number; nodes: string[] }>;
    };
    expect(data).toMatchObject({ pods: 5, podsRead: 5, crashedRead: 3 });
    expect(data.unhealthy).toEqual(['ocr-7f8c9d6b4b-aaxq1', 'ocr-7f8c9d6b4b-aaxq2', 'ocr-7f8c9d6b4b-aaxq3']);
    expect(data.groups[0]).toMatchObject({ kind: 'configError', pods: 3, unhealthyPods: 3, nodes: ['node-new'] });
    expect(output.text).toContain(
      '3 of 5 pods (3 unhealthy; node node-new; crashed instances): ERROR invalid configuration',
    );
    // Unhealthy pods are read first, so a cap on pods keeps them.
    expect(kube.logRequests[0]!.pod).toMatch(/-aaxq\d$/);
  });

  it('reads at most max_pods pods, unhealthy first, and says how many were left out', async () => {
    const objects = [
      ...Array.from({ length: 6 }, (_, index) => pod(`web-${index}`, 'n1', running)),
      pod('web-9', 'n2', crashing),
    ];
    const kube = fakeKube({ objects, podLogs: async () => 'ERROR upstream connect error\n' });
    const output = await workloadLogs({ namespace: 'fin', workload: 'web', max_pods: 3 }, context(kube));
    expect(output.data).toMatchObject({ pods: 7, podsRead: 3, unhealthy: ['web-9'] });
    expect(output.omitted?.what).toContain('the logs of 4 more pods');
  });

  it('bounds the output to top_k messages and escapes control characters of the log', async () => {
    const lines = Array.from(
      { length: 30 },
      (_, index) => `ERROR distinct failure ${'abcdefghijklmnopqrstuvwxyz'[index % 26]}${index}`,
    );
    const kube = fakeKube({
      objects: [pod('job-1', 'n1', running)],
      logs: { 'fin/job-1/app': `${lines.join('\n')}\n\u001b[31mERROR red\u001b[0m\n` },
    });
    const output = await workloadLogs({ namespace: 'fin', workload: 'job', top_k: 4 }, context(kube));
    expect(output.text.split('\n')).toHaveLength(5);
    expect(output.text).not.toContain('\u001b');
    expect(output.omitted?.what).toContain('27 rarer messages');
  });

  it('counts the pods with a matching line when a filter is given, and answers no_data when none has', async () => {
    const kube = fakeKube({
      objects: [pod('api-1', 'n1', running), pod('api-2', 'n2', running)],
      logs: { 'fin/api-1/app': 'lookup db.fin.svc on 10.96.0.10:53: no such host\n', 'fin/api-2/app': 'INFO ok\n' },
    });
    const found = await workloadLogs({ namespace: 'fin', workload: 'api', filter: 'no such host' }, context(kube));
    expect(found.data).toMatchObject({ matchingPods: 1, matchingNodes: ['n1'], podsRead: 2 });
    const none = await workloadLogs({ namespace: 'fin', workload: 'api', filter: 'forbidden' }, context(kube));
    expect(none.status).toBe('no_data');
    expect(none.data).toMatchObject({ matchingPods: 0, linesRead: 2 });
  });
});
