import type { KubeObject } from '../core/kube-object.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `app=x,tier!=y` from a label selector's matchLabels and matchExpressions; `(all pods)` when empty. */
function selector(value: Json | undefined): string {
  const labels = Object.entries(value?.matchLabels ?? {}).map(([key, entry]) => `${key}=${entry}`);
  const expressions = ((value?.matchExpressions ?? []) as Json[]).map(
    (expression) =>
      `${expression.key} ${String(expression.operator).toLowerCase()} (${(expression.values ?? []).join(',')})`,
  );
  return [...labels, ...expressions].join(',') || '(all pods)';
}

function subjects(binding: KubeObject): string {
  return (((binding as Json).subjects ?? []) as Json[])
    .map((subject) => `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`)
    .join(', ');
}

function rules(role: KubeObject): string {
  return (((role as Json).rules ?? []) as Json[])
    .map((rule) => {
      const groups = ((rule.apiGroups ?? []) as string[]).map((group) => group || 'core').join(',');
      const what = [...(rule.resources ?? []), ...(rule.nonResourceURLs ?? [])].join(',');
      return `${(rule.verbs ?? []).join(',')} ${what}${groups ? ` (${groups})` : ''}`;
    })
    .join('; ');
}

/** One line for the storage, network and RBAC kinds: what an incident turns on (bindings, selectors, phases). */
export const OTHER_SUMMARIES: Record<string, (object: KubeObject) => string> = {
  StorageClass(storageClass) {
    const body = storageClass as Json;
    const isDefault = storageClass.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    return `provisioner ${body.provisioner}, reclaim ${body.reclaimPolicy ?? 'Delete'}, binding ${body.volumeBindingMode ?? 'Immediate'}, expansion ${body.allowVolumeExpansion === true}${isDefault ? ', default class' : ''}`;
  },
  PersistentVolume(volume) {
    const spec = (volume.spec ?? {}) as Json;
    const claim = spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : '(unclaimed)';
    return `${(volume.status as Json | undefined)?.phase ?? 'Unknown'}, capacity ${spec.capacity?.storage ?? '?'}, claim ${claim}, class ${spec.storageClassName ?? '(none)'}`;
  },
  NetworkPolicy(policy) {
    const spec = (policy.spec ?? {}) as Json;
    const types = (spec.policyTypes ?? ['Ingress']) as string[];
    return `selects ${selector(spec.podSelector)}; ${types.join('+')}; ${(spec.ingress ?? []).length} ingress and ${(spec.egress ?? []).length} egress rules`;
  },
  ServiceAccount(account) {
    const automount = (account as Json).automountServiceAccountToken;
    return automount === undefined ? '' : `automount token ${automount}`;
  },
  Role: rules,
  ClusterRole: rules,
  RoleBinding: (binding) =>
    `${(binding as Json).roleRef?.kind}/${(binding as Json).roleRef?.name} → ${subjects(binding) || '(no subjects)'}`,
  ClusterRoleBinding: (binding) =>
    `${(binding as Json).roleRef?.kind}/${(binding as Json).roleRef?.name} → ${subjects(binding) || '(no subjects)'}`,
  Endpoints(endpoints) {
    const subsets = ((endpoints as Json).subsets ?? []) as Json[];
    const ready = subsets.flatMap((subset) => (subset.addresses ?? []) as Json[]).length;
    const notReady = subsets.flatMap((subset) => (subset.notReadyAddresses ?? []) as Json[]).length;
    return `${ready} ready and ${notReady} not-ready addresses`;
  },
  EndpointSlice(slice) {
    const endpoints = ((slice as Json).endpoints ?? []) as Json[];
    const ready = endpoints.filter((endpoint) => endpoint.conditions?.ready !== false).length;
    return `${(slice as Json).addressType}, ${ready}/${endpoints.length} endpoints ready, service ${slice.metadata.labels?.['kubernetes.io/service-name'] ?? '(none)'}`;
  },
  CustomResourceDefinition(definition) {
    const spec = (definition.spec ?? {}) as Json;
    const versions = ((spec.versions ?? []) as Json[])
      .filter((version) => version.served !== false)
      .map((version) => version.name);
    return `${spec.names?.kind} (${spec.group}/${versions.join(',')}), ${spec.scope}`;
  },
};

/**
 * One line for a kind Holmes has no summary of (a custom resource): the status fields controllers
 * commonly set (phase, replicas, message) and its conditions that are not in their good state.
 */
export function summarizeCustomObject(object: KubeObject): string {
  const status = (object.status ?? {}) as Json;
  const parts: string[] = [];
  if (typeof status.phase === 'string') parts.push(status.phase);
  if (typeof status.state === 'string') parts.push(status.state);
  const spec = (object.spec ?? {}) as Json;
  const replicas = ['replicas', 'readyReplicas', 'updatedReplicas', 'availableReplicas']
    .filter((field) => typeof status[field] === 'number')
    .map((field) => `${field} ${status[field]}`);
  if (replicas.length > 0)
    parts.push(`${typeof spec.replicas === 'number' ? `spec.replicas ${spec.replicas}, ` : ''}${replicas.join(', ')}`);
  const conditions = ((status.conditions ?? []) as Json[]).map(
    (condition) => `${condition.type}=${condition.status}${condition.reason ? `(${condition.reason})` : ''}`,
  );
  if (conditions.length > 0) parts.push(conditions.join(' '));
  if (typeof status.message === 'string' && status.message !== '') parts.push(status.message.slice(0, 200));
  return parts.join('; ');
}
