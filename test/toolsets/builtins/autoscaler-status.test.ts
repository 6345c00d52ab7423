import { describe, expect, it } from 'vitest';
import { autoscalerStatus } from '../../../src/toolsets/builtins/autoscaler-status.js';
import { fakeKube } from '../fake-clients.js';
import { ago, context, event, object } from './kube-objects.js';

const condition = (type: string, status: string, reason: string, message = '') => ({ type, status, reason, message });

describe('autoscalerStatus', () => {
  it('reports an HPA that cannot read its metric, with the controller events', async () => {
    const kube = fakeKube({
      objects: [
        object('HorizontalPodAutoscaler', 'parser', 'doc', {
          spec: {
            scaleTargetRef: { kind: 'Deployment', name: 'parser' },
            minReplicas: 3,
            maxReplicas: 20,
            metrics: [
              { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } },
            ],
          },
          status: {
            currentReplicas: 3,
            desiredReplicas: 3,
            currentMetrics: [{ type: '' }],
            conditions: [
              condition(
                'ScalingActive',
                'False',
                'FailedGetResourceMetric',
                'no metrics returned from resource metrics API',
              ),
            ],
          },
        }),
        event(
          'doc',
          { kind: 'HorizontalPodAutoscaler', name: 'parser' },
          'FailedGetResourceMetric',
          'failed to get cpu utilization: no metrics returned from resource metrics API',
        ),
      ],
    });
    const output = await autoscalerStatus({ namespace: 'doc', workload: 'parser' }, context(kube));
    expect(output.data).toMatchObject({
      hpa: 'parser',
      found: true,
      pinned: false,
      scalingActive: { status: 'False', reason: 'FailedGetResourceMetric' },
      metrics: [{ type: 'Resource', name: 'cpu', target: '65', current: null, ratio: null }],
      metricErrors: [
        'FailedGetResourceMetric: failed to get cpu utilization: no metrics returned from resource metrics API',
      ],
    });
  });

  it('finds a pinned HPA, its load against target and the bounds before the edit', async () => {
    const kube = fakeKube({
      objects: [
        object('HorizontalPodAutoscaler', 'tts', 'voice', {
          metadata: {
            annotations: {
              'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
                spec: { minReplicas: 3, maxReplicas: 12 },
              }),
            },
          },
          spec: {
            scaleTargetRef: { kind: 'Deployment', name: 'tts' },
            minReplicas: 4,
            maxReplicas: 4,
            metrics: [
              {
                type: 'Pods',
                pods: { metric: { name: 'active_streams' }, target: { type: 'AverageValue', averageValue: '8' } },
              },
            ],
          },
          status: {
            currentReplicas: 4,
            desiredReplicas: 4,
            currentMetrics: [
              { type: 'Pods', pods: { metric: { name: 'active_streams' }, current: { averageValue: '21' } } },
            ],
            conditions: [condition('ScalingLimited', 'True', 'TooManyReplicas')],
          },
        }),
      ],
    });
    const data = (await autoscalerStatus({ namespace: 'voice', hpa: 'tts' }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data).toMatchObject({
      pinned: true,
      min: 4,
      max: 4,
      previous: { min: 3, max: 12 },
      scalingLimited: { status: 'True' },
    });
    expect(data.metrics[0].ratio).toBeCloseTo(2.625);
  });

  it('has no data when no HPA targets the workload', async () => {
    const output = await autoscalerStatus({ namespace: 'x', workload: 'api' }, context(fakeKube({ objects: [] })));
    expect(output.status).toBe('no_data');
    expect(output.data).toMatchObject({ found: false, hpa: null });
  });
});

describe('autoscalerStatus on an HPA KEDA created', () => {
  const hpa = (metadata: Record<string, unknown>) =>
    object('HorizontalPodAutoscaler', 'keda-hpa-asr', 'media', {
      metadata: { name: 'keda-hpa-asr', namespace: 'media', ...metadata },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'asr' }, minReplicas: 1, maxReplicas: 12 },
      status: { currentReplicas: 12, desiredReplicas: 12 },
    });
  const before = {
    spec: {
      pollingInterval: 30,
      cooldownPeriod: 300,
      minReplicaCount: 1,
      maxReplicaCount: 12,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } },
    },
  };
  const scaledObject = object('ScaledObject', 'asr', 'media', {
    apiVersion: 'keda.sh/v1alpha1',
    metadata: {
      name: 'asr',
      namespace: 'media',
      creationTimestamp: ago(100_000),
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(before) },
      managedFields: [
        { manager: 'kubectl-edit', operation: 'Update', time: ago(70) },
        { manager: 'keda', operation: 'Update', time: ago(1), subresource: 'status' },
      ],
    },
    spec: {
      scaleTargetRef: { name: 'asr' },
      pollingInterval: 5,
      cooldownPeriod: 15,
      minReplicaCount: 1,
      maxReplicaCount: 12,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } } },
      triggers: [
        {
          type: 'kafka',
          metadata: { bootstrapServers: 'kafka:9092', topic: 'audio', lagThreshold: '50', activationLagThreshold: '5' },
        },
      ],
    },
  });

  it('reads the ScaledObject that owns it: triggers, thresholds, timing, damping, bounds and what the edit changed', async () => {
    const owner = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'asr', uid: 'u', controller: true };
    const output = await autoscalerStatus(
      { namespace: 'media', workload: 'asr', alert_start: ago(10) },
      context(fakeKube({ objects: [hpa({ ownerReferences: [owner] }), scaledObject] })),
    );
    expect((output.data as { scaledObject: unknown }).scaledObject).toEqual({
      name: 'asr',
      minReplicas: 1,
      maxReplicas: 12,
      idleReplicas: null,
      pollingInterval: 5,
      cooldownPeriod: 15,
      scaleDownStabilization: 0,
      scaleUpStabilization: null,
      triggers: [{ type: 'kafka', name: null, thresholds: 'lagThreshold 50, activationLagThreshold 5' }],
      changes: ['pollingInterval 30 → 5', 'cooldownPeriod 300 → 15', 'scaleDownStabilization 300 → 0'],
      // The edit, not KEDA's status write a minute ago.
      changedMinutesBeforeAlert: 60,
    });
    expect(output.text).toContain(
      'owned by ScaledObject asr: replicas 1–12, pollingInterval 5 s, cooldownPeriod 15 s, scale-down stabilization 0 s; triggers kafka (lagThreshold 50, activationLagThreshold 5)',
    );
  });

  it("finds it by KEDA's label too, applies KEDA's defaults, and says when it cannot be read", async () => {
    const bare = object('ScaledObject', 'asr', 'media', {
      apiVersion: 'keda.sh/v1alpha1',
      spec: {
        scaleTargetRef: { name: 'asr' },
        triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }],
      },
    });
    const labelled = hpa({ labels: { 'scaledobject.keda.sh/name': 'asr' } });
    const found = await autoscalerStatus(
      { namespace: 'media', workload: 'asr' },
      context(fakeKube({ objects: [labelled, bare] })),
    );
    expect((found.data as { scaledObject: unknown }).scaledObject).toMatchObject({
      minReplicas: 0,
      maxReplicas: 100,
      pollingInterval: 30,
      cooldownPeriod: 300,
      scaleDownStabilization: 300,
      triggers: [{ type: 'cpu', thresholds: 'value 60' }],
      changes: [],
    });
    const missing = await autoscalerStatus(
      { namespace: 'media', workload: 'asr' },
      context(fakeKube({ objects: [labelled] })),
    );
    expect((missing.data as { scaledObject: unknown }).scaledObject).toBeNull();
    expect(missing.text).toContain('owned by a KEDA ScaledObject asr not found (not readable)');
    const plain = await autoscalerStatus(
      { namespace: 'media', workload: 'asr' },
      context(fakeKube({ objects: [hpa({}), bare] })),
    );
    expect((plain.data as { scaledObject: unknown }).scaledObject).toBeNull();
  });
});
