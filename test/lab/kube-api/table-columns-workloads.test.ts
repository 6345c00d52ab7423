import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { WORKLOAD_TABLE_COLUMNS } from '../../../src/lab/kube-api/table-columns-workloads.js';

const now = new Date('2025-06-01T12:00:00Z');

/** Every cell, wide ones included, keyed by column name. */
function cells(kind: string, object: Omit<KubeObject, 'apiVersion' | 'kind' | 'metadata'>) {
  const full = {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'x', creationTimestamp: '2025-06-01T10:00:00Z' },
    ...object,
  } as KubeObject;
  return Object.fromEntries(
    (WORKLOAD_TABLE_COLUMNS[kind] ?? []).map((column) => [column.name, column.cell(full, now)]),
  );
}

const template = {
  spec: {
    containers: [
      { name: 'main', image: 'main:1' },
      { name: 'side', image: 'side:2' },
    ],
  },
};

describe('WORKLOAD_TABLE_COLUMNS', () => {
  it('prints replica sets, stateful sets and daemon sets with counts, containers and selectors', () => {
    expect(
      cells('ReplicaSet', {
        spec: {
          replicas: 3,
          selector: {
            matchLabels: { app: 'a' },
            matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }],
          },
          template,
        },
        status: { replicas: 3, readyReplicas: 1 },
      }),
    ).toEqual({
      Name: 'x',
      Desired: 3,
      Current: 3,
      Ready: 1,
      Age: '120m',
      Containers: 'main,side',
      Images: 'main:1,side:2',
      Selector: 'app=a,tier in (x,y)',
    });
    expect(cells('StatefulSet', { spec: { replicas: 2, template }, status: { readyReplicas: 2 } })).toMatchObject({
      Ready: '2/2',
    });
    expect(
      cells('DaemonSet', {
        spec: { template: { spec: { ...template.spec, nodeSelector: { 'nvidia.com/gpu.present': 'true' } } } },
        status: {
          desiredNumberScheduled: 4,
          currentNumberScheduled: 4,
          numberReady: 3,
          updatedNumberScheduled: 4,
          numberAvailable: 3,
        },
      }),
    ).toMatchObject({ Desired: 4, Ready: 3, Available: 3, 'Node Selector': 'nvidia.com/gpu.present=true' });
  });

  it('prints job status, completions and duration when a job is running or complete', () => {
    expect(
      cells('Job', { spec: { completions: 3, template }, status: { succeeded: 1, startTime: '2025-06-01T11:30:00Z' } }),
    ).toMatchObject({
      Status: 'Running',
      Completions: '1/3',
      Duration: '30m',
    });
    expect(
      cells('Job', {
        spec: { template },
        status: {
          succeeded: 1,
          startTime: '2025-06-01T11:00:00Z',
          completionTime: '2025-06-01T11:04:00Z',
          conditions: [{ type: 'Complete', status: 'True' }],
        },
      }),
    ).toMatchObject({ Status: 'Complete', Completions: '1/1', Duration: '4m' });
  });

  it('prints cron job schedule and last schedule when it has run', () => {
    expect(
      cells('CronJob', {
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } },
        status: { active: [{ name: 'j' }], lastScheduleTime: '2025-06-01T11:55:00Z' },
      }),
    ).toMatchObject({
      Schedule: '*/5 * * * *',
      Timezone: '<none>',
      Suspend: 'False',
      Active: 1,
      'Last Schedule': '5m',
    });
  });

  it('prints autoscaler targets for resource, pods and external metrics', () => {
    expect(
      cells('HorizontalPodAutoscaler', {
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'vllm' },
          maxReplicas: 8,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
            { type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } },
            { type: 'External', external: { metric: { name: 'lag' }, target: { type: 'Value', value: '100' } } },
          ],
        },
        status: {
          currentReplicas: 8,
          currentMetrics: [
            { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 99 } } },
            { type: 'Pods', pods: { current: { averageValue: '42' } } },
          ],
        },
      }),
    ).toEqual({
      Name: 'x',
      Reference: 'Deployment/vllm',
      Targets: 'cpu: 99%/70%, 42/10, <unknown>/100',
      MinPods: '<unset>',
      MaxPods: 8,
      Replicas: 8,
      Age: '120m',
    });
  });
});
