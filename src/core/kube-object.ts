/** The part of a Kubernetes object every kind shares; the rest is kept as the API returns it. */
export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  [key: string]: unknown;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` (the core group) → ''. */
export function apiGroupOf(apiVersion: string | undefined): string {
  const text = apiVersion ?? '';
  const slash = text.indexOf('/');
  return slash === -1 ? '' : text.slice(0, slash);
}
