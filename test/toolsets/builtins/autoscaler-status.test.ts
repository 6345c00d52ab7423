import { describe, expect, it } from 'vitest';
import { autoscalerStatus } from '../../../src/toolsets/builtins/autoscaler-status.js';
import { fakeKube } from '../fake-clients.js';
import { context, event, object } from './kube-objects.js';

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
