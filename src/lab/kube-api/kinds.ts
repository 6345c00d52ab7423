import { apiGroupOf } from '../../core/kube-object.js';
import { readText } from './read-path.js';
import type { TableColumn } from './table.js';

/**
 * The kinds the lab's Kubernetes API serves, as data: discovery, routing, lists and field
 * selectors all read this one table. Values follow what a v1.32 API server reports.
 */
export interface KubeKind {
  kind: string;
  /** '' for the core (legacy) group served under /api. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  verbs: string[];
  /** Fields a fieldSelector may name besides metadata.name and metadata.namespace. */
  fields: Record<string, (object: Record<string, unknown>) => string>;
  /** Read-only subresources served with GET (discovery lists them as `<plural>/<name>`). */
  subresources: string[];
  /** Table columns of a custom resource (its CRD's printer columns); built-in kinds have printers by kind. */
  columns?: readonly TableColumn[];
}

const READ_VERBS = ['get', 'list'];

function fields(...paths: string[]): KubeKind['fields'] {
  return Object.fromEntries(paths.map((path) => [path, (object: Record<string, unknown>) => readText(object, path)]));
}

/** Booleans the API server prints as "false" when the field is unset. */
function flag(path: string): (object: Record<string, unknown>) => string {
  return (object) => String(readText(object, path) === 'true');
}

function kind(
  definition: Omit<KubeKind, 'verbs' | 'fields' | 'subresources' | 'categories'> & Partial<KubeKind>,
): KubeKind {
  return { verbs: READ_VERBS, fields: {}, subresources: [], categories: [], ...definition };
}

export const KUBE_KINDS: readonly KubeKind[] = [
  kind({
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    fields: fields('status.phase'),
  }),
  kind({
    kind: 'Node',
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    shortNames: ['no'],
    namespaced: false,
    fields: { 'spec.unschedulable': flag('spec.unschedulable') },
  }),
  kind({
    kind: 'Pod',
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    namespaced: true,
    categories: ['all'],
    subresources: ['log'],
    fields: {
      ...fields(
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'status.phase',
        'status.podIP',
        'status.nominatedNodeName',
      ),
      'spec.hostNetwork': flag('spec.hostNetwork'),
    },
  }),
  kind({
    kind: 'Service',
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    shortNames: ['svc'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'Event',
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    namespaced: true,
    fields: {
      ...fields(
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reason',
        'type',
      ),
      // Upstream's field labels: `source` is source.component, reportingComponent is reportingController.
      source: (object) => readText(object, 'source.component'),
      reportingComponent: (object) => readText(object, 'reportingController'),
    },
  }),
  kind({
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    namespaced: true,
  }),
  kind({
    kind: 'ResourceQuota',
    group: '',
    version: 'v1',
    plural: 'resourcequotas',
    singular: 'resourcequota',
    shortNames: ['quota'],
    namespaced: true,
  }),
  kind({
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    shortNames: ['pvc'],
    namespaced: true,
  }),
  kind({
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    shortNames: ['sa'],
    namespaced: true,
  }),
  kind({
    kind: 'PersistentVolume',
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    singular: 'persistentvolume',
    shortNames: ['pv'],
    namespaced: false,
  }),
  kind({
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    plural: 'endpoints',
    singular: 'endpoints',
    shortNames: ['ep'],
    namespaced: true,
  }),
  kind({
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    shortNames: ['deploy'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    shortNames: ['rs'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    singular: 'statefulset',
    shortNames: ['sts'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    singular: 'daemonset',
    shortNames: ['ds'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    singular: 'job',
    shortNames: [],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    singular: 'cronjob',
    shortNames: ['cj'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    shortNames: ['hpa'],
    namespaced: true,
    categories: ['all'],
  }),
  kind({
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    singular: 'endpointslice',
    shortNames: [],
    namespaced: true,
  }),
  kind({
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    shortNames: ['netpol'],
    namespaced: true,
  }),
  kind({
    kind: 'StorageClass',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    singular: 'storageclass',
    shortNames: ['sc'],
    namespaced: false,
  }),
  ...(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'] as const).map((name) =>
    kind({
      kind: name,
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural: `${name.toLowerCase()}s`,
      singular: name.toLowerCase(),
      shortNames: [],
      namespaced: !name.startsWith('Cluster'),
    }),
  ),
  kind({
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    namespaced: false,
  }),
];

/**
 * API groups that belong to Kubernetes itself: an object there must be a kind the lab serves. Any
 * other group (with at least one dot, as a CRD's group has) holds custom resources.
 */
export const KUBERNETES_GROUPS: ReadonlySet<string> = new Set([
  ...KUBE_KINDS.map((entry) => entry.group),
  'extensions',
  'policy',
  'admissionregistration.k8s.io',
  'apiregistration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'node.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storagemigration.k8s.io',
]);

/** `v1` for the core group, `<group>/<version>` otherwise: the apiVersion of served objects. */
export function groupVersionOf(kubeKind: Pick<KubeKind, 'group' | 'version'>): string {
  return kubeKind.group === '' ? kubeKind.version : `${kubeKind.group}/${kubeKind.version}`;
}

/** The group part of an object's apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export const groupOf = apiGroupOf;

/** The version part of an object's apiVersion (`apps/v1` → `v1`). */
export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}
