import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { customKinds, guessPlural } from '../../../src/lab/kube-api/custom-kinds.js';
import { createKindRegistry } from '../../../src/lab/kube-api/kind-registry.js';
import { compareKubeVersions } from '../../../src/lab/kube-api/kube-version-priority.js';

function crd(spec: Record<string, unknown>, name = 'rollouts.argoproj.io'): KubeObject {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec };
}

const ROLLOUT_CRD = crd({
  group: 'argoproj.io',
  names: { kind: 'Rollout', plural: 'rollouts', singular: 'rollout', shortNames: ['ro'] },
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1alpha1',
      served: true,
      additionalPrinterColumns: [
        { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas' },
        { name: 'Phase', type: 'string', jsonPath: '.status.phase', priority: 1 },
      ],
      selectableFields: [{ jsonPath: '.spec.strategy.canary.canaryService' }],
    },
    { name: 'v1alpha0', served: false },
  ],
});

describe('guessPlural', () => {
  it.each([
    ['Rollout', 'rollouts'],
    ['PyTorchJob', 'pytorchjobs'],
    ['LeaderWorkerSet', 'leaderworkersets'],
    ['NetworkPolicy', 'networkpolicies'],
    ['Gateway', 'gateways'],
    ['Ingress', 'ingresses'],
    ['Mesh', 'meshes'],
    ['Box', 'boxes'],
  ])('makes %s plural as its CRD would when no CRD is given', (kind, plural) => {
    expect(guessPlural(kind)).toBe(plural);
  });
});

describe('compareKubeVersions', () => {
  it('orders versions GA first, then beta, then alpha, higher numbers first, others last', () => {
    const versions = ['v1alpha1', 'foo10', 'v11beta2', 'v2', 'v10beta3', 'v1', 'v12alpha1', 'foo1', 'v10', 'v3beta1'];
    expect(versions.sort(compareKubeVersions)).toEqual([
      'v10',
      'v2',
      'v1',
      'v11beta2',
      'v10beta3',
      'v3beta1',
      'v12alpha1',
      'v1alpha1',
      'foo1',
      'foo10',
    ]);
  });
});

describe('customKinds', () => {
  it('serves each served version of a CRD with its names, scope, printer columns and selectable fields', () => {
    const { kinds, issues } = customKinds([ROLLOUT_CRD]);
    expect(issues).toEqual([]);
    expect(kinds).toHaveLength(1);
    const [rollout] = kinds;
    expect(rollout).toMatchObject({
      kind: 'Rollout',
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'rollouts',
      singular: 'rollout',
      shortNames: ['ro'],
      namespaced: true,
      verbs: ['get', 'list'],
    });
    expect(rollout?.columns?.map((column) => [column.name, column.type, column.priority ?? 0])).toEqual([
      ['Name', 'string', 0],
      ['Desired', 'integer', 0],
      ['Phase', 'string', 1],
    ]);
    const object = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: { strategy: { canary: { canaryService: 'chat-canary' } } },
    };
    expect(rollout?.fields['spec.strategy.canary.canaryService']?.(object)).toBe('chat-canary');
  });

  it('derives a kind from objects without a CRD: plural guessed, every version used, namespaced when any has a namespace', () => {
    const { kinds, issues } = customKinds([
      { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'a', namespace: 'training' } },
      { apiVersion: 'kubeflow.org/v2beta1', kind: 'PyTorchJob', metadata: { name: 'b' } },
      { apiVersion: 'example.com/v1', kind: 'ClusterThing', metadata: { name: 'c' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
    ]);
    expect(issues).toEqual([]);
    expect(kinds.map((kind) => [kind.group, kind.version, kind.plural, kind.namespaced])).toEqual([
      ['kubeflow.org', 'v1', 'pytorchjobs', true],
      ['example.com', 'v1', 'clusterthings', false],
      ['kubeflow.org', 'v2beta1', 'pytorchjobs', true],
    ]);
    expect(kinds[0]?.columns?.map((column) => [column.name, column.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
  });

  it('reports a CRD whose name, group, scope or printer columns are not what the API server accepts', () => {
    const { kinds, issues } = customKinds([
      crd(
        {
          group: 'apps',
          names: { kind: 'Thing', plural: 'things' },
          scope: 'Global',
          versions: [
            { name: 'v1', served: true, additionalPrinterColumns: [{ name: 'X', type: 'float', jsonPath: '.x' }] },
          ],
        },
        'things.example.com',
      ),
    ]);
    expect(kinds).toEqual([]);
    expect(issues.map((issue) => issue.path.join('.'))).toEqual([
      'spec.group',
      'spec.scope',
      'metadata.name',
      'spec.versions.0.additionalPrinterColumns.0.type',
    ]);
  });

  it('refuses a CRD that would serve a resource named secrets', () => {
    const { issues } = customKinds([
      crd(
        {
          group: 'example.com',
          names: { kind: 'Secret', plural: 'secrets' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true }],
        },
        'secrets.example.com',
      ),
    ]);
    expect(issues.map((issue) => issue.message)).toContain('a resource named like Secrets is never served');
  });

  it('reports a custom resource at a version its CRD does not serve, or with a namespace the CRD does not allow', () => {
    const clusterCrd = crd(
      {
        group: 'example.com',
        names: { kind: 'Pool', plural: 'pools' },
        scope: 'Cluster',
        versions: [{ name: 'v1', served: true }],
      },
      'pools.example.com',
    );
    const { issues } = customKinds([
      ROLLOUT_CRD,
      clusterCrd,
      { apiVersion: 'argoproj.io/v1alpha0', kind: 'Rollout', metadata: { name: 'old', namespace: 'a' } },
      { apiVersion: 'example.com/v1', kind: 'Pool', metadata: { name: 'p', namespace: 'a' } },
    ]);
    expect(issues).toMatchObject([
      {
        index: 2,
        path: ['apiVersion'],
        message: 'its CRD serves Rollout at argoproj.io/v1alpha1, not argoproj.io/v1alpha0',
      },
      { index: 3, path: ['metadata', 'namespace'], message: 'Pool is cluster-scoped by its CRD and has no namespace' },
    ]);
  });
});

describe('createKindRegistry', () => {
  it('finds built-in and custom kinds by object and by path', () => {
    const { registry } = createKindRegistry([ROLLOUT_CRD]);
    expect(registry.forObject('argoproj.io/v1alpha1', 'Rollout')?.plural).toBe('rollouts');
    expect(registry.forObject('apps/v1', 'Deployment')?.plural).toBe('deployments');
    expect(registry.find('argoproj.io', 'v1alpha1', 'rollouts')?.kind).toBe('Rollout');
    expect(registry.find('argoproj.io', 'v1', 'rollouts')).toBeUndefined();
    expect(registry.forObject('batch.volcano.sh/v1alpha1', 'Job')).toBeUndefined();
  });
});
