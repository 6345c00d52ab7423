/**
 * In-memory Prometheus and Kubernetes clients for unit tests: answers come from the test, every
 * call is recorded, and a method the test did not give fails loudly.
 */
import type { KubeObject } from '../../src/core/kube-object.js';
import type { KubeClient, KubeListResult, PodLogsOptions } from '../../src/telemetry/kube-types.js';
import type {
  InstantSeries,
  PrometheusClient,
  QueryResult,
  RangeSeries,
} from '../../src/telemetry/prometheus-types.js';

export interface FakePrometheusOptions {
  /** Metric names the catalog lists (prerequisites look here). */
  metricNames?: string[];
  /** Instant answers by the PromQL run; unlisted queries answer an empty vector. */
  instant?: (query: string) => InstantSeries[] | Promise<InstantSeries[]>;
  range?: (query: string) => RangeSeries[];
}

export interface FakePrometheus extends PrometheusClient {
  /** PromQL of every query run, in order. */
  queries: string[];
}

function notGiven(name: string): never {
  throw new Error(`the fake client was not given ${name}`);
}

const STATS = () => ({ requests: 0, errors: 0, refused: 0 });

export function fakePrometheus(options: FakePrometheusOptions = {}): FakePrometheus {
  const queries: string[] = [];
  const meta = (request: string, raw: unknown) => ({ request, raw: JSON.stringify(raw), warnings: [] });
  return {
    url: 'http://prometheus.test',
    queries,
    async instantQuery(query) {
      queries.push(query);
      const series = (await options.instant?.(query)) ?? [];
      return {
        resultType: 'vector',
        series,
        ...meta(`/api/v1/query?query=${encodeURIComponent(query)}`, series),
      } satisfies QueryResult;
    },
    async rangeQuery(query) {
      queries.push(query);
      const series = options.range?.(query) ?? [];
      return {
        resultType: 'matrix',
        series,
        ...meta(`/api/v1/query_range?query=${encodeURIComponent(query)}`, series),
      } satisfies QueryResult;
    },
    async labelValues(label) {
      if (label !== '__name__') notGiven(`label values of ${label}`);
      return { values: options.metricNames ?? [], ...meta('/api/v1/label/__name__/values', options.metricNames ?? []) };
    },
    async buildInfo() {
      return { buildInfo: { version: '2.42.0' }, ...meta('/api/v1/status/buildinfo', {}) };
    },
    series: async () => notGiven('series'),
    labelNames: async () => notGiven('labelNames'),
    metricMetadata: async () => notGiven('metricMetadata'),
    rules: async () => notGiven('rules'),
    alerts: async () => notGiven('alerts'),
    stats: STATS,
  };
}

export interface FakeKubeOptions {
  objects?: KubeObject[];
  /** Log text by `namespace/pod/container` (container optional in the key when the pod has one). */
  logs?: Record<string, string>;
  /** Called instead of answering, e.g. to throw or hang. */
  podLogs?: (options: PodLogsOptions) => Promise<string>;
}

export function fakeKube(options: FakeKubeOptions = {}): KubeClient & { logRequests: PodLogsOptions[] } {
  const objects = options.objects ?? [];
  const logRequests: PodLogsOptions[] = [];
  const list = (kind: string, namespace?: string): KubeListResult => {
    const items = objects.filter(
      (object) => object.kind === kind && (!namespace || object.metadata.namespace === namespace),
    );
    return { items, request: `/fake/${kind}`, raw: JSON.stringify({ items }) };
  };
  return {
    server: 'http://kube.test',
    logRequests,
    list: async (kind, listOptions) => list(kind, listOptions?.namespace),
    async get(kind, name, namespace) {
      const object =
        objects.find(
          (item) =>
            item.kind === kind && item.metadata.name === name && (!namespace || item.metadata.namespace === namespace),
        ) ?? null;
      return { object, request: `/fake/${kind}/${name}`, raw: JSON.stringify(object ?? {}) };
    },
    async podLogs(logOptions) {
      logRequests.push(logOptions);
      const key = [logOptions.namespace, logOptions.pod, logOptions.container].filter(Boolean).join('/');
      const text = options.podLogs ? await options.podLogs(logOptions) : (options.logs?.[key] ?? '');
      // Like the API: the last tailLines lines.
      const lines = text.split('\n').filter((line) => line.length > 0);
      const tail = logOptions.tailLines ? lines.slice(-logOptions.tailLines) : lines;
      const body = tail.map((line) => `${line}\n`).join('');
      return { text: body, request: `/fake/log/${key}`, raw: body };
    },
    events: async (eventOptions) => list('Event', eventOptions?.namespace),
    async resolveKind(kind, apiVersion) {
      const found = objects.find((object) => object.kind === kind && (!apiVersion || object.apiVersion === apiVersion));
      return {
        kind,
        apiVersion: found?.apiVersion ?? apiVersion ?? 'v1',
        plural: `${kind.toLowerCase()}s`,
        namespaced: found?.metadata.namespace !== undefined,
        shortNames: [],
      };
    },
    apiResources: async () => ({ kinds: [], failed: [], requests: [] }),
    version: async () => ({
      version: { major: '1', minor: '30', gitVersion: 'v1.30.0' },
      request: '/version',
      raw: '{}',
    }),
    stats: STATS,
  };
}
