import { HolmesError } from '../core/errors.js';
import { KUBE_KIND_TABLE } from '../core/kube-kinds.js';
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

/** Every kind Holmes reads (the shared table, as the client addresses it). Secrets are deliberately absent. */
export const KUBE_KINDS: readonly KubeKind[] = KUBE_KIND_TABLE.map((entry) => ({
  kind: entry.kind,
  apiVersion: entry.group ? `${entry.group}/${entry.version}` : entry.version,
  plural: entry.plural,
  singular: entry.singular,
  namespaced: entry.namespaced,
  shortNames: entry.shortNames,
}));

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

/**
 * Custom kinds Holmes reads where a cluster serves them, with the API group a ClusterRole must
 * grant (the chart's `rbac.extraReadGroups`): Argo Rollouts and KEDA ScaledObjects by name,
 * training and multi-node serving workloads as the owners of pods.
 */
export const CUSTOM_KINDS_READ: ReadonlyArray<{ kind: string; group: string }> = [
  { kind: 'Rollout', group: 'argoproj.io' },
  { kind: 'ScaledObject', group: 'keda.sh' },
  { kind: 'PyTorchJob', group: 'kubeflow.org' },
  { kind: 'JobSet', group: 'jobset.x-k8s.io' },
  { kind: 'LeaderWorkerSet', group: 'leaderworkerset.x-k8s.io' },
];
