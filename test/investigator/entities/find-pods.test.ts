import { describe, expect, it } from 'vitest';
import {
  podByName,
  podByNameAnywhere,
  podsByOwnership,
  podsOfNamespace,
  podsOfService,
  podsOfWorkload,
  podsServingModel,
  workloadOfHpa,
} from '../../../src/investigator/entities/find-pods.js';
import { pod, stateFor, stepToolbox } from './step-toolbox.js';

describe('pod finders', () => {
  it('podByNameAnywhere takes the namespace of the one pod of that name, and not when two namespaces have one', async () => {
    const one = stepToolbox({ kubernetes_list: () => [pod('worker-0', 'batch')] });
    const state = stateFor({ pod: 'worker-0' }, one.toolbox);
    await podByNameAnywhere(state);
    expect(state.entities.namespace).toBe('batch');
    expect(state.pods.map((entry) => entry.metadata.name)).toEqual(['worker-0']);

    const two = stepToolbox({ kubernetes_list: () => [pod('worker-0', 'a'), pod('worker-0', 'b')] });
    const ambiguous = stateFor({ pod: 'worker-0' }, two.toolbox);
    await podByNameAnywhere(ambiguous);
    expect(ambiguous.entities.namespace).toBeUndefined();
    expect(ambiguous.pods).toEqual([]);
  });

  it('podByName says the pod is gone instead of guessing when the API has no such pod', async () => {
    const { toolbox } = stepToolbox({});
    const state = stateFor({ namespace: 'web', pod: 'api-1' }, toolbox);
    await podByName(state);
    expect(state.pods).toEqual([]);
    expect(state.entities.unresolved).toEqual(['pod web/api-1: not found (deleted or rescheduled?)']);
  });

  it("workloadOfHpa makes the HPA's scale target the workload", async () => {
    const { toolbox } = stepToolbox({
      kubernetes_get: () => ({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'ranker' } } }),
    });
    const state = stateFor({ namespace: 'search', horizontalpodautoscaler: 'ranker-hpa' }, toolbox);
    await workloadOfHpa(state);
    expect(state.workload).toEqual({ kind: 'Deployment', name: 'ranker' });
    expect(state.entities.hpa).toBe('ranker-hpa');
  });

  it("podsOfService lists pods by the service's selector, and falls back to a Deployment of its name", async () => {
    const { toolbox, calls } = stepToolbox({
      kubernetes_get: () => ({ spec: { selector: { app: 'chat', tier: 'api' } } }),
      kubernetes_list: () => [pod('chat-1', 'llm')],
    });
    const state = stateFor({ namespace: 'llm', service: 'chat' }, toolbox);
    await podsOfService(state);
    expect(calls[1]!.params.label_selector).toBe('app=chat,tier=api');
    expect(state.pods).toHaveLength(1);

    const none = stepToolbox({});
    const missing = stateFor({ namespace: 'llm', service: 'chat' }, none.toolbox);
    await podsOfService(missing);
    expect(missing.workload).toEqual({ kind: 'Deployment', name: 'chat' });
  });

  it("podsOfWorkload finds a Job's pods by the labels its controller sets when it has no selector", async () => {
    const { toolbox, calls } = stepToolbox({
      kubernetes_get: () => ({ spec: {} }),
      kubernetes_list: (params) =>
        params.label_selector === 'training.kubeflow.org/job-name=pretrain'
          ? [pod('pretrain-worker-0', 'ml')]
          : undefined,
    });
    const state = stateFor({ namespace: 'ml', job_name: 'pretrain' }, toolbox);
    await podsOfWorkload(state);
    expect(state.pods.map((entry) => entry.metadata.name)).toEqual(['pretrain-worker-0']);
    expect(calls.filter((call) => call.tool === 'kubernetes_list')).toHaveLength(3);
  });

  it('podsByOwnership follows Deployment → ReplicaSet → Pod and ignores other workloads', async () => {
    const { toolbox } = stepToolbox({
      kubernetes_list: (params) =>
        params.kind === 'ReplicaSet'
          ? [
              { kind: 'ReplicaSet', metadata: { name: 'api-7f9', ownerReferences: [{ name: 'api' }] } },
              { kind: 'ReplicaSet', metadata: { name: 'apigw-1', ownerReferences: [{ name: 'apigw' }] } },
            ]
          : [pod('api-7f9-x', 'web', { owner: 'api-7f9' }), pod('apigw-1-y', 'web', { owner: 'apigw-1' })],
    });
    const state = stateFor({ namespace: 'web', deployment: 'api' }, toolbox);
    await podsByOwnership(state);
    expect(state.pods.map((entry) => entry.metadata.name)).toEqual(['api-7f9-x']);
  });

  it("podsServingModel finds the model's pods from vLLM series, escaping the model name in the query", async () => {
    const { toolbox, calls } = stepToolbox({
      prometheus_instant_query: () => ({ result: [{ labels: { namespace: 'llm', pod: 'qwen-0' } }] }),
      kubernetes_get: () => pod('qwen-0', 'llm', { node: 'gpu-1' }),
    });
    const state = stateFor({ model_name: 'Qwen/"x"' }, toolbox);
    await podsServingModel(state);
    expect(calls[0]!.params.query).toContain('model_name="Qwen/\\"x\\""');
    expect(state.pods.map((entry) => entry.metadata.name)).toEqual(['qwen-0']);
  });

  it('podsOfNamespace takes every pod only when the alert names nothing narrower', async () => {
    const { toolbox, calls } = stepToolbox({ kubernetes_list: () => [pod('a', 'ns'), pod('b', 'ns')] });
    const broad = stateFor({ namespace: 'ns' }, toolbox);
    await podsOfNamespace(broad);
    expect(broad.pods).toHaveLength(2);
    const narrow = stateFor({ namespace: 'ns', service: 'api' }, toolbox);
    await podsOfNamespace(narrow);
    expect(narrow.pods).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});
