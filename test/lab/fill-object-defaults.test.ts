import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object.js';
import { fillObjectDefaults, objectUid } from '../../src/lab/fill-object-defaults.js';

const now = new Date('2025-03-04T05:06:07Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('fillObjectDefaults', () => {
  it('fills uid, creationTimestamp, resourceVersion and namespace when they are missing', () => {
    const [pod] = fillObjectDefaults([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }], now);
    expect(pod?.metadata).toEqual({
      name: 'p',
      namespace: 'default',
      uid: objectUid('Pod', 'default', 'p'),
      creationTimestamp: '2025-03-04T05:06:07Z',
      resourceVersion: '1',
    });
    expect(pod?.metadata.uid).toMatch(UUID);
  });

  it('keeps what the scenario wrote when the fields are present', () => {
    const metadata = {
      name: 'p',
      namespace: 'llm',
      uid: 'u-1',
      creationTimestamp: '2020-01-01T00:00:00Z',
      resourceVersion: '77',
    };
    const [pod] = fillObjectDefaults([{ apiVersion: 'v1', kind: 'Pod', metadata }], now);
    expect(pod?.metadata).toEqual(metadata);
  });

  it('gives no namespace when the kind is cluster-scoped', () => {
    const filled = fillObjectDefaults(
      [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm' } },
      ],
      now,
    );
    expect(filled.map((object) => object.metadata.namespace)).toEqual([undefined, undefined]);
    expect(filled.map((object) => object.metadata.resourceVersion)).toEqual(['1', '2']);
  });

  it('gives the same uid every time when kind, namespace and name are the same', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' } };
    expect(fillObjectDefaults([object], now)[0]?.metadata.uid).toBe(fillObjectDefaults([object], now)[0]?.metadata.uid);
    expect(objectUid('Pod', 'a', 'p')).not.toBe(objectUid('Pod', 'b', 'p'));
  });

  it('points owner references and involved objects at their targets when their uid is missing', () => {
    const filled = fillObjectDefaults(
      [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'llm', uid: 'rs-uid' } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'llm', ownerReferences: [{ kind: 'ReplicaSet', name: 'rs' } as never] },
        },
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e', namespace: 'llm' },
          involvedObject: { kind: 'Pod', name: 'p', namespace: 'llm' },
        },
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'n', namespace: 'default' },
          involvedObject: { kind: 'Node', name: 'gpu-1' },
        },
      ],
      now,
    );
    expect(filled[1]?.metadata.ownerReferences?.[0]).toEqual({
      kind: 'ReplicaSet',
      name: 'rs',
      uid: 'rs-uid',
      apiVersion: 'apps/v1',
    });
    expect(filled[2]?.involvedObject).toEqual({
      kind: 'Pod',
      name: 'p',
      namespace: 'llm',
      uid: objectUid('Pod', 'llm', 'p'),
      apiVersion: 'v1',
    });
    expect((filled[3]?.involvedObject as { uid: string }).uid).toBe(objectUid('Node', undefined, 'gpu-1'));
  });

  it('leaves the input untouched when it fills copies', () => {
    const input: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    fillObjectDefaults([input], now);
    expect(input.metadata).toEqual({ name: 'p' });
  });

  it('points owner references at custom resources, and gives a derived namespaced kind the default namespace', () => {
    const filled = fillObjectDefaults(
      [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'chat', namespace: 'llm' } },
        { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'ft' } },
        { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'other', namespace: 'train' } },
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'rs', namespace: 'llm', ownerReferences: [{ kind: 'Rollout', name: 'chat' } as never] },
        },
      ],
      now,
    );
    expect(filled[1]?.metadata.namespace).toBe('default');
    expect(filled[3]?.metadata.ownerReferences?.[0]).toEqual({
      kind: 'Rollout',
      name: 'chat',
      uid: filled[0]?.metadata.uid,
      apiVersion: 'argoproj.io/v1alpha1',
    });
  });
});
