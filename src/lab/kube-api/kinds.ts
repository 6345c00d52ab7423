import { KUBE_KIND_TABLE } from '../../core/kube-kinds.js';
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

/** What the lab's API adds to each kind of the shared table: field selectors, subresources, columns. */
const LAB_EXTRAS: Partial<Record<string, Partial<KubeKind>>> = {
  Namespace: {
    fields: fields('status.phase'),
  },
  Node: {
    fields: { 'spec.unschedulable': flag('spec.unschedulable') },
  },
  Pod: {
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
  },
  Event: {
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
  },
};

export const KUBE_KINDS: readonly KubeKind[] = KUBE_KIND_TABLE.map((entry) =>
  kind({ ...entry, ...LAB_EXTRAS[entry.kind] }),
);

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
