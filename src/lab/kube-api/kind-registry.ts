import type { KubeObject } from '../../core/kube-object.js';
import { customKinds, type KindIssue } from './custom-kinds.js';
import { KUBE_KINDS, groupOf, versionOf, type KubeKind } from './kinds.js';

/**
 * Every kind one scenario's API serves: the built-in kinds and the custom resources its objects
 * imply. Discovery, routing, the store and the loader all read this one registry.
 */
export interface KindRegistry {
  readonly kinds: readonly KubeKind[];
  /** The kind an object is served as, from its apiVersion and kind. */
  forObject(apiVersion: string, kind: string): KubeKind | undefined;
  /** The kind a request path names. */
  find(group: string, version: string, plural: string): KubeKind | undefined;
}

export function createKindRegistry(objects: readonly KubeObject[]): { registry: KindRegistry; issues: KindIssue[] } {
  const custom = customKinds(objects);
  const kinds = [...KUBE_KINDS, ...custom.kinds];
  const registry: KindRegistry = {
    kinds,
    forObject: (apiVersion, kind) => {
      const group = groupOf(apiVersion);
      const version = versionOf(apiVersion);
      return kinds.find((entry) => entry.group === group && entry.version === version && entry.kind === kind);
    },
    find: (group, version, plural) =>
      kinds.find((entry) => entry.group === group && entry.version === version && entry.plural === plural),
  };
  return { registry, issues: custom.issues };
}

/** The built-in kinds alone, for callers with no scenario objects. */
export const BUILT_IN_REGISTRY: KindRegistry = createKindRegistry([]).registry;
