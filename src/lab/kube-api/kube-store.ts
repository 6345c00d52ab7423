import type { KubeObject } from '../../core/kube-object.js';
import type { KindRegistry } from './kind-registry.js';
import type { KubeKind } from './kinds.js';

/** The frozen objects of a scenario, indexed by kind and sorted the way etcd keys sort. */
export interface KubeStore {
  /** Objects of one kind, in one namespace when given (ignored for cluster-scoped kinds). */
  list(kubeKind: KubeKind, namespace?: string): KubeObject[];
  get(kubeKind: KubeKind, namespace: string | undefined, name: string): KubeObject | undefined;
  /** The highest resourceVersion of any object: what a list reports as its own. */
  resourceVersion: string;
}

// Byte order, as etcd sorts keys, not the locale's.
function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/**
 * Objects are kept by group and kind, whatever version they were written in: a custom resource
 * served at several versions lists the same objects at each (a CRD without conversion webhooks).
 */
export function createKubeStore(objects: readonly KubeObject[], registry: KindRegistry): KubeStore {
  const byKind = new Map<string, KubeObject[]>();
  let highest = 0;
  for (const object of objects) {
    const kubeKind = registry.forObject(object.apiVersion, object.kind);
    // Kinds the lab does not serve are left out rather than served under a wrong path.
    if (!kubeKind) continue;
    const metadata = { ...object.metadata };
    if (kubeKind.namespaced) metadata.namespace = metadata.namespace ?? 'default';
    else delete metadata.namespace;
    const version = Number(metadata.resourceVersion);
    if (Number.isInteger(version) && version > highest) highest = version;
    // Objects are copied once so no response can alter the store.
    const stored: KubeObject = structuredClone({ ...object, metadata });
    const key = kindKey(kubeKind.group, kubeKind.kind);
    byKind.set(key, [...(byKind.get(key) ?? []), stored]);
  }
  for (const list of byKind.values()) {
    list.sort((left, right) => {
      const byNamespace = compare(left.metadata.namespace ?? '', right.metadata.namespace ?? '');
      return byNamespace !== 0 ? byNamespace : compare(left.metadata.name, right.metadata.name);
    });
  }
  const resourceVersion = String(highest > 0 ? highest : 1);

  const list = (kubeKind: KubeKind, namespace?: string): KubeObject[] => {
    const all = byKind.get(kindKey(kubeKind.group, kubeKind.kind)) ?? [];
    if (!kubeKind.namespaced || namespace === undefined) return all;
    return all.filter((object) => object.metadata.namespace === namespace);
  };

  return {
    list,
    get: (kubeKind, namespace, name) => list(kubeKind, namespace).find((object) => object.metadata.name === name),
    resourceVersion,
  };
}
