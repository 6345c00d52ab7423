import type { KubeObject } from '../core/kube-object.js';
import type { KubeConnectionOptions } from './kube-configuration.js';
import type { KubeCatalog } from './kube-discovery.js';
import type { KubeKind } from './kube-kinds.js';
import type { TelemetryRequestListener, TelemetryStats } from './telemetry-stats.js';

export interface KubeClientOptions extends KubeConnectionOptions {
  onRequest?: TelemetryRequestListener;
}

/** What every answer carries besides its data, so tool results can show and measure it. */
export interface KubeResponseMeta {
  /** Path and query string exactly as sent, e.g. `/api/v1/namespaces/llm/pods?labelSelector=app%3Dchat`. */
  request: string;
  /** The response body as received. */
  raw: string;
}

export interface KubeKindOptions {
  /** The apiVersion of the kind (`argoproj.io/v1alpha1`), when its name alone is ambiguous or to skip a discovery round. */
  apiVersion?: string;
}

export interface KubeListOptions extends KubeKindOptions {
  /** Omit for every namespace (namespaced kinds) or for cluster-scoped kinds. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  /** The `continue` token of a previous page. */
  continue?: string;
}

export interface KubeListResult extends KubeResponseMeta {
  /** Plain JSON as the API returns it, with `apiVersion` and `kind` set on every item. */
  items: KubeObject[];
  /** Set when `limit` cut the list; pass it back as `continue` for the next page. */
  continue?: string;
}

export interface KubeGetResult extends KubeResponseMeta {
  /** `null` when the object does not exist (HTTP 404). */
  object: KubeObject | null;
}

export interface PodLogsOptions {
  namespace: string;
  pod: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  /** The log of the previous (crashed) container instance, as `kubectl logs --previous`. */
  previous?: boolean;
}

export interface PodLogsResult extends KubeResponseMeta {
  text: string;
}

export interface KubeEventsOptions {
  namespace?: string;
  /** The involved object's kind; short names (`po`, `deploy`) are accepted. */
  kind?: string;
  name?: string;
  uid?: string;
  limit?: number;
}

export interface KubeVersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  platform?: string;
  [key: string]: unknown;
}

/** The read-only Kubernetes surface Holmes uses; there is no method that writes. */
export interface KubeClient {
  /** The API server URL, for messages. */
  readonly server: string;
  /** Any kind the API server serves, custom resources included (found through discovery); never Secrets. */
  list(kind: string, options?: KubeListOptions): Promise<KubeListResult>;
  get(kind: string, name: string, namespace?: string, options?: KubeKindOptions): Promise<KubeGetResult>;
  /** Where a kind is served (group version, resource, scope), from the built-in table or discovery. */
  resolveKind(kind: string, apiVersion?: string): Promise<KubeKind>;
  /** Every readable kind the API server serves (as `kubectl api-resources`), from cached discovery. */
  apiResources(): Promise<KubeCatalog>;
  podLogs(options: PodLogsOptions): Promise<PodLogsResult>;
  /** Events, oldest first (by last time seen). */
  events(options?: KubeEventsOptions): Promise<KubeListResult>;
  version(): Promise<{ version: KubeVersionInfo } & KubeResponseMeta>;
  stats(): TelemetryStats;
}
