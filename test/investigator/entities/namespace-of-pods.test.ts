import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { namespaceOfPods } from '../../../src/investigator/entities/namespace-of-pods.js';
import { pod } from './step-toolbox.js';

const agent = (name: string, namespace: string): KubeObject => ({
  ...pod(name, namespace, { node: 'n1' }),
  metadata: {
    name,
    namespace,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: name.replace(/-[a-z0-9]+$/, ''), uid: name }],
  },
});

describe('namespaceOfPods', () => {
  it('leaves out node agents: a node alert is about the workloads on it, not kube-proxy', () => {
    const notes: string[] = [];
    const pods = [agent('kube-proxy-x2', 'kube-system'), agent('node-exporter-4k', 'monitoring'), pod('api-1', 'shop')];
    expect(namespaceOfPods(pods, notes)).toBe('shop');
    expect(notes).toEqual([]);
  });

  it('takes the namespace with most pods when they span several, and says so', () => {
    const notes: string[] = [];
    const pods = [pod('batch-1', 'etl'), pod('api-1', 'shop'), pod('api-2', 'shop')];
    expect(namespaceOfPods(pods, notes)).toBe('shop');
    expect(notes).toEqual(['pods in 2 namespaces: taking shop, which has most of them (2)']);
  });

  it('falls back to the agents when the node runs nothing else, and to none without pods', () => {
    expect(namespaceOfPods([agent('dcgm-exporter-q8', 'gpu-operator')], [])).toBe('gpu-operator');
    expect(namespaceOfPods([], [])).toBeUndefined();
  });
});
