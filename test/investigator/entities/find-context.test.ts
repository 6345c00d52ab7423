import { describe, expect, it } from 'vitest';
import { findGpus, findHpa, findModel } from '../../../src/investigator/entities/find-context.js';
import { entitiesFromLabels } from '../../../src/investigator/resolve-entities.js';
import { pod, stateFor, stepToolbox } from './step-toolbox.js';

describe('entitiesFromLabels', () => {
  it('reads the exported_* spelling first and the workload from its kind label', () => {
    const { entities, labels } = entitiesFromLabels({
      labels: { alertname: 'X', exported_namespace: 'ml', namespace: 'gpu-operator', deployment: 'chat', gpu: '3' },
    } as never);
    expect(entities.namespace).toBe('ml');
    expect(labels.workload).toEqual({ kind: 'Deployment', name: 'chat' });
    expect(labels.gpu).toBe('3');
  });
});

describe('context steps', () => {
  it('findHpa finds the autoscaler whose target is the workload', async () => {
    const { toolbox } = stepToolbox({
      kubernetes_list: () => [
        { kind: 'HorizontalPodAutoscaler', metadata: { name: 'other' }, spec: { scaleTargetRef: { name: 'x' } } },
        {
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'keda-hpa-chat' },
          spec: { scaleTargetRef: { name: 'chat' } },
        },
      ],
    });
    const state = stateFor({ namespace: 'ns' }, toolbox);
    state.entities.workload = { kind: 'Deployment', name: 'chat' };
    await findHpa(state);
    expect(state.entities.hpa).toBe('keda-hpa-chat');
  });

  it('findModel names the model only when the pods serve exactly one', async () => {
    const one = stepToolbox({ prometheus_instant_query: () => ({ result: [{ labels: { model_name: 'llama' } }] }) });
    const state = stateFor({ namespace: 'ns' }, one.toolbox);
    state.entities.pods = [{ namespace: 'ns', name: 'p' }];
    await findModel(state);
    expect(state.entities.model).toBe('llama');

    const two = stepToolbox({
      prometheus_instant_query: () => ({ result: [{ labels: { model_name: 'a' } }, { labels: { model_name: 'b' } }] }),
    });
    const ambiguous = stateFor({ namespace: 'ns' }, two.toolbox);
    ambiguous.entities.pods = [{ namespace: 'ns', name: 'p' }];
    await findModel(ambiguous);
    expect(ambiguous.entities.model).toBeUndefined();
  });

  it("findGpus keeps the GPUs attributed to the alert's pods, and the alert's GPU on their node", async () => {
    const { toolbox } = stepToolbox({
      gpu_inventory: () => ({
        gpus: [
          { node: 'n1', gpu: '0', gpuKey: 'GPU-a', pod: 'ours' },
          { node: 'n1', gpu: '1', gpuKey: 'GPU-b', pod: 'theirs' },
          { node: 'n1', gpu: '2', gpuKey: 'GPU-c', pod: null },
          { node: 'n2', gpu: '2', gpuKey: 'GPU-d', pod: null },
        ],
      }),
    });
    const state = stateFor({ namespace: 'ns', gpu: '2' }, toolbox);
    state.entities.pods = [{ namespace: 'ns', name: 'ours', node: 'n1' }];
    state.entities.nodes = ['n1'];
    await findGpus(state);
    expect(state.entities.gpus.map((gpu) => gpu.uuid)).toEqual(['GPU-a', 'GPU-c']);
  });
});
