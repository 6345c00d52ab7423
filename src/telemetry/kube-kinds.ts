import { HolmesError } from '../core/errors.js';
import { apiGroupOf } from '../core/kube-object.js';

/** A Kubernetes kind Holmes may read, and where the API serves it. */
export interface KubeKind {
  kind: string;
  apiVersion: string;
  /** The resource name in the URL path. */
  plural: string;
  /** The singular resource name discovery reports (kubectl accepts it too). */
  singular?: string;
  namespaced: boolean;
  shortNames: string[];
}

/** Every kind Holmes reads. Secrets are deliberately absent: Holmes never reads them. */
export const KUBE_KINDS: readonly KubeKind[] = [
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false, shortNames: ['ns'] },
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', namespaced: false, shortNames: ['no'] },
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true, shortNames: ['po'] },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true, shortNames: ['svc'] },
  { kind: 'Event', apiVersion: 'v1', plural: 'events', namespaced: true, shortNames: ['ev'] },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { kind: 'ResourceQuota', apiVersion: 'v1', plural: 'resourcequotas', namespaced: true, shortNames: ['quota'] },
  {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
  },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', namespaced: true, shortNames: ['deploy'] },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true, shortNames: ['rs'] },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true, shortNames: ['sts'] },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true, shortNames: ['ds'] },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', namespaced: true, shortNames: [] },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true, shortNames: ['cj'] },
  {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v2',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
  },
  { kind: 'ServiceAccount', apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'] },
  { kind: 'PersistentVolume', apiVersion: 'v1', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'] },
  { kind: 'Endpoints', apiVersion: 'v1', plural: 'endpoints', namespaced: true, shortNames: ['ep'] },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    plural: 'endpointslices',
    namespaced: true,
    shortNames: [],
  },
  {
    kind: 'NetworkPolicy',
    apiVersion: 'networking.k8s.io/v1',
    plural: 'networkpolicies',
    namespaced: true,
    shortNames: ['netpol'],
  },
  {
    kind: 'StorageClass',
    apiVersion: 'storage.k8s.io/v1',
    plural: 'storageclasses',
    namespaced: false,
    shortNames: ['sc'],
  },
  ...(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'] as const).map((kind) => ({
    kind,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    plural: `${kind.toLowerCase()}s`,
    namespaced: !kind.startsWith('Cluster'),
    shortNames: [],
  })),
  {
    kind: 'CustomResourceDefinition',
    apiVersion: 'apiextensions.k8s.io/v1',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
  },
];

const BY_NAME = new Map<string, KubeKind>(
  KUBE_KINDS.flatMap((entry) =>
    [entry.kind.toLowerCase(), entry.plural, ...entry.shortNames].map((name): [string, KubeKind] => [name, entry]),
  ),
);

const SECRET_NAMES: ReadonlySet<string> = new Set(['secret', 'secrets']);

/** True for `Secret`, `secrets` and `secrets.<group>`: names that would read Secrets. */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.trim().toLowerCase().split('.')[0] ?? '');
}

/** Throws before any request when a name (or a group called `secrets`) would read Secrets. */
export function refuseSecrets(name: string, apiVersion?: string): void {
  const nameGroup = name.trim().toLowerCase().split('.').slice(1);
  const group = apiGroupOf(apiVersion);
  if (isSecretName(name) || group === 'secrets' || nameGroup.at(-1) === 'secrets') {
    throw new HolmesError('READ_ONLY_VIOLATION', 'Holmes never reads Secrets; the request was not sent.', {
      fix: 'Investigate through the objects that use the Secret (Pods, Deployments, Events) instead.',
      details: { kind: name, ...(apiVersion ? { apiVersion } : {}) },
    });
  }
}

/** Finds a kind by name, plural or short name, any case; `deployments.apps` style also works. */
export function findKubeKind(name: string): KubeKind | undefined {
  const [resource = '', ...group] = name.trim().toLowerCase().split('.');
  const entry = BY_NAME.get(resource);
  if (!entry) return undefined;
  const wantedGroup = group.join('.');
  if (wantedGroup === '') return entry;
  return entry.apiVersion.startsWith(`${wantedGroup}/`) || (wantedGroup === 'core' && !entry.apiVersion.includes('/'))
    ? entry
    : undefined;
}

/** Like `findKubeKind`, but refuses Secrets and unknown kinds before any request exists. */
export function resolveKubeKind(name: string): KubeKind {
  refuseSecrets(name);
  const entry = findKubeKind(name);
  if (!entry) {
    throw new HolmesError(
      'READ_ONLY_VIOLATION',
      `Holmes does not read Kubernetes kind '${name}'; the request was not sent.`,
      {
        fix: `Use one of: ${KUBE_KINDS.map((known) => known.kind).join(', ')}.`,
        details: { kind: name },
      },
    );
  }
  return entry;
}
