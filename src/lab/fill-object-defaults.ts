import { createHash } from 'node:crypto';
import type { KubeObject } from '../core/kube-object.js';
import { createKindRegistry } from './kube-api/kind-registry.js';
import { KUBE_KINDS, groupOf, groupVersionOf } from './kube-api/kinds.js';
import { rfc3339 } from './rfc3339.js';

interface Reference {
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
  uid?: unknown;
  apiVersion?: unknown;
}

/**
 * Fills what the API server would have set on objects it stored: metadata.uid, creationTimestamp,
 * resourceVersion (in file order), namespace `default` for namespaced kinds, and the uid (and
 * apiVersion) of owner references and of an Event's involvedObject, so `kubectl describe`-style
 * lookups by uid work, whatever kind the target is (a Rollout, a PyTorchJob). Uids are derived
 * from kind/namespace/name: the same scenario always gets the same ones.
 */
export function fillObjectDefaults(objects: readonly KubeObject[], now: Date): KubeObject[] {
  const { registry } = createKindRegistry(objects);
  const filled = objects.map((object, index) => {
    const copy = structuredClone(object);
    const metadata = copy.metadata;
    const namespaced = registry.forObject(copy.apiVersion, copy.kind)?.namespaced !== false;
    if (namespaced && metadata.namespace === undefined) metadata.namespace = 'default';
    metadata.uid ??= objectUid(copy.kind, metadata.namespace, metadata.name);
    metadata.creationTimestamp ??= rfc3339(now);
    metadata.resourceVersion ??= String(index + 1);
    return copy;
  });

  const resolve = (reference: Reference, namespace: string | undefined): void => {
    if (typeof reference.kind !== 'string' || typeof reference.name !== 'string') return;
    const group = typeof reference.apiVersion === 'string' ? groupOf(reference.apiVersion) : undefined;
    const wanted = typeof reference.namespace === 'string' ? reference.namespace : namespace;
    // The target in the scenario (cluster-scoped ones have no namespace), else a built-in kind by name.
    const target = filled.find(
      (object) =>
        object.kind === reference.kind &&
        object.metadata.name === reference.name &&
        (group === undefined || groupOf(object.apiVersion) === group) &&
        (object.metadata.namespace === undefined || object.metadata.namespace === wanted),
    );
    const builtIn = KUBE_KINDS.find((entry) => entry.kind === reference.kind && (group ?? entry.group) === entry.group);
    const targetNamespace = target ? target.metadata.namespace : builtIn?.namespaced === false ? undefined : wanted;
    reference.uid ??= target?.metadata.uid ?? objectUid(reference.kind, targetNamespace, reference.name);
    const apiVersion = target?.apiVersion ?? (builtIn ? groupVersionOf(builtIn) : undefined);
    if (apiVersion !== undefined) reference.apiVersion ??= apiVersion;
  };
  for (const object of filled) {
    for (const owner of object.metadata.ownerReferences ?? []) resolve(owner as Reference, object.metadata.namespace);
    const involved = object.involvedObject;
    if (object.kind === 'Event' && involved !== null && typeof involved === 'object') {
      resolve(involved as Reference, object.metadata.namespace);
    }
  }
  return filled;
}

function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** A UUID-shaped (version 5 layout) id from the object's identity. */
export function objectUid(kind: string, namespace: string | undefined, name: string): string {
  const hex = createHash('sha1')
    .update(`holmes-lab/${objectKey(kind, namespace, name)}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
