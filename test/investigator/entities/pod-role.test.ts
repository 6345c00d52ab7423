import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { podRole } from '../../../src/investigator/entities/pod-role.js';

const labelled = (labels: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels } }) as KubeObject;

describe('podRole', () => {
  it("names a Kubeflow training job's replica by its type and index", () => {
    expect(
      podRole(labelled({ 'training.kubeflow.org/replica-type': 'worker', 'training.kubeflow.org/replica-index': '1' })),
    ).toBe('worker 1');
    expect(podRole(labelled({ 'training.kubeflow.org/replica-type': 'master' }))).toBe('master 0');
  });

  it('names a JobSet pod by its replicated job, job index and completion index', () => {
    expect(
      podRole(
        labelled({
          'jobset.sigs.k8s.io/replicatedjob-name': 'workers',
          'jobset.sigs.k8s.io/job-index': '0',
          'batch.kubernetes.io/job-completion-index': '2',
        }),
      ),
    ).toBe('workers 0, pod 2');
  });

  it("names a LeaderWorkerSet pod as its group's leader or worker", () => {
    const lws = (worker: string) =>
      labelled({ 'leaderworkerset.sigs.k8s.io/group-index': '1', 'leaderworkerset.sigs.k8s.io/worker-index': worker });
    expect(podRole(lws('0'))).toBe('group 1 leader');
    expect(podRole(lws('1'))).toBe('group 1 worker 1');
  });

  it('names no role for a replica of a Deployment', () => {
    expect(podRole(labelled({ app: 'chat', 'pod-template-hash': '5d8f' }))).toBeUndefined();
  });
});
