import { BUILT_IN_REGISTRY, type KindRegistry } from './kind-registry.js';
import type { KubeKind } from './kinds.js';

/**
 * What a request path names, after the API server's layout:
 * `/api/v1[/watch][/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]`, the same under
 * `/apis/GROUP/VERSION`, and the discovery documents above them.
 */
export type ApiPath =
  | { type: 'root' | 'api' | 'apis' | 'version' | 'health' | 'openapi' }
  | { type: 'group'; group: string }
  | { type: 'resources'; group: string; version: string }
  | { type: 'resource'; kubeKind: KubeKind; namespace?: string; name?: string; subresource?: string; watch: boolean }
  /** Any path naming Secrets (the `secrets` resource of any group, or a group named `secrets`); refused whatever the rest is. */
  | { type: 'secrets'; group: string; namespace?: string; name?: string }
  | { type: 'unknown' };

const HEALTH = new Set(['healthz', 'livez', 'readyz']);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseResourcePath(registry: KindRegistry, group: string, version: string, rest: string[]): ApiPath {
  let segments = rest;
  const watch = segments[0] === 'watch';
  if (watch) segments = segments.slice(1);
  let namespace: string | undefined;
  // `/namespaces/NS/...` scopes a namespaced resource; `/namespaces` and `/namespaces/NS` alone name Namespaces.
  if (segments[0] === 'namespaces' && segments.length >= 3) {
    namespace = segments[1];
    segments = segments.slice(2);
  }
  const [plural, name, subresource, ...extra] = segments;
  if (plural === undefined) return { type: 'unknown' };
  if (plural === 'secrets' || group === 'secrets') return { type: 'secrets', group, namespace, name };
  const kubeKind = registry.find(group, version, plural);
  if (!kubeKind) return { type: 'unknown' };
  if (namespace !== undefined && !kubeKind.namespaced) return { type: 'unknown' };
  // Anything deeper than a subresource is a proxy path (`.../proxy/some/path`): keep the subresource.
  if (extra.length > 0 && subresource !== 'proxy') return { type: 'unknown' };
  return { type: 'resource', kubeKind, namespace, name, subresource, watch };
}

export function parseApiPath(pathname: string, registry: KindRegistry = BUILT_IN_REGISTRY): ApiPath {
  const trimmed = pathname.replace(/\/+$/, '');
  const segments = trimmed.split('/').slice(1).map(decode);
  const [first, second, third, ...rest] = segments;
  if (trimmed === '') return { type: 'root' };
  if (first !== undefined && HEALTH.has(first)) return { type: 'health' };
  if (first === 'version' && segments.length === 1) return { type: 'version' };
  if (first === 'openapi') return { type: 'openapi' };
  if (first === 'api') {
    if (second === undefined) return { type: 'api' };
    if (second !== 'v1') return { type: 'unknown' };
    if (third === undefined) return { type: 'resources', group: '', version: 'v1' };
    return parseResourcePath(registry, '', 'v1', [third, ...rest]);
  }
  if (first === 'apis') {
    if (second === undefined) return { type: 'apis' };
    if (third === undefined) return { type: 'group', group: second };
    if (rest.length === 0) return { type: 'resources', group: second, version: third };
    return parseResourcePath(registry, second, third, rest);
  }
  return { type: 'unknown' };
}
