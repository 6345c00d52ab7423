import { HolmesError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { createKubeConfiguration } from './kube-configuration.js';
import { createKubeDiscovery } from './kube-discovery.js';
import { findKubeKind, resolveKubeKind } from './kube-kinds.js';
import type { KubeKind } from './kube-kinds.js';
import { createKubeRequest, jsonObjectOf, statusMessage } from './kube-request.js';
import type { KubeAnswer } from './kube-request.js';
import type { KubeClient, KubeClientOptions, KubeListResult, KubeVersionInfo } from './kube-types.js';
import { createTelemetryStats } from './telemetry-stats.js';

// Object names are DNS labels or subdomains; this also keeps `.`, `..` and `/` out of paths.
const OBJECT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9._:]*[A-Za-z0-9])?$/;

function checkName(value: string, what: string): string {
  if (!OBJECT_NAME.test(value)) {
    throw new HolmesError('TOOL_PARAMS_INVALID', `'${value}' is not a valid Kubernetes ${what}.`, {
      fix: `Pass the ${what} exactly as kubectl shows it (lower-case letters, digits, '-' and '.').`,
    });
  }
  return encodeURIComponent(value);
}

function resourcePath(kind: KubeKind, namespace?: string, name?: string): string {
  const root = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  const scope = kind.namespaced && namespace !== undefined ? `/namespaces/${checkName(namespace, 'namespace')}` : '';
  const object = name === undefined ? '' : `/${checkName(name, `${kind.kind} name`)}`;
  return `${root}${scope}/${kind.plural}${object}`;
}

function parseJson(answer: KubeAnswer, what: string): Record<string, unknown> {
  if (answer.status === 404) {
    throw new HolmesError('TOOL_PARAMS_INVALID', `Not found: ${answer.request}: ${statusMessage(answer.raw)}`, {
      fix: `Check that the ${what} exists (list it first) and that the API server serves it.`,
      details: { request: answer.request, status: 404 },
    });
  }
  return jsonObjectOf(answer);
}

function eventTime(event: KubeObject): number {
  const series = event.series as { lastObservedTime?: string } | undefined;
  const seen =
    event.lastTimestamp ??
    series?.lastObservedTime ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata.creationTimestamp;
  const time = typeof seen === 'string' ? Date.parse(seen) : Number.NaN;
  return Number.isNaN(time) ? 0 : time;
}

/** A read-only Kubernetes client on @kubernetes/client-node; objects stay plain JSON (no Dates). */
export function createKubeClient(options: KubeClientOptions = {}): KubeClient {
  const stats = createTelemetryStats(options.onRequest);
  const kube = createKubeConfiguration(options, stats);
  const request = createKubeRequest(kube, stats);
  const discovery = createKubeDiscovery(request);

  async function list(kind: KubeKind, listOptions: Parameters<KubeClient['list']>[1] = {}): Promise<KubeListResult> {
    const params: Array<[string, string]> = [];
    if (listOptions.labelSelector) params.push(['labelSelector', listOptions.labelSelector]);
    if (listOptions.fieldSelector) params.push(['fieldSelector', listOptions.fieldSelector]);
    if (listOptions.limit !== undefined) params.push(['limit', String(listOptions.limit)]);
    if (listOptions.continue) params.push(['continue', listOptions.continue]);
    const answer = await request(resourcePath(kind, listOptions.namespace), params);
    const body = parseJson(answer, `${kind.kind} list`);
    const items = Array.isArray(body.items) ? (body.items as Array<Omit<KubeObject, 'apiVersion' | 'kind'>>) : [];
    const next = (body.metadata as { continue?: unknown } | undefined)?.continue;
    return {
      // List items come without apiVersion and kind; callers (and models) need them on each object.
      items: items.map((item) => ({ apiVersion: kind.apiVersion, kind: kind.kind, ...item }) as KubeObject),
      ...(typeof next === 'string' && next !== '' ? { continue: next } : {}),
      request: answer.request,
      raw: answer.raw,
    };
  }

  return {
    server: kube.server,

    list: async (kind, listOptions) => list(await discovery.resolve(kind, listOptions?.apiVersion), listOptions),

    async get(kindName, name, namespace, kindOptions = {}) {
      const kind = await discovery.resolve(kindName, kindOptions.apiVersion);
      if (kind.namespaced && namespace === undefined) {
        throw new HolmesError('TOOL_PARAMS_INVALID', `Getting ${kind.kind} '${name}' needs a namespace.`, {
          fix: `Pass the namespace of the ${kind.kind}, or list ${kind.plural} across namespaces to find it.`,
        });
      }
      const answer = await request(resourcePath(kind, namespace, name));
      if (answer.status === 404) return { object: null, request: answer.request, raw: answer.raw };
      const body = parseJson(answer, kind.kind);
      return {
        object: { apiVersion: kind.apiVersion, kind: kind.kind, ...body } as KubeObject,
        request: answer.request,
        raw: answer.raw,
      };
    },

    async podLogs(logOptions) {
      const path = `/api/v1/namespaces/${checkName(logOptions.namespace, 'namespace')}/pods/${checkName(logOptions.pod, 'Pod name')}/log`;
      const params: Array<[string, string]> = [];
      if (logOptions.container) params.push(['container', logOptions.container]);
      if (logOptions.tailLines !== undefined) params.push(['tailLines', String(logOptions.tailLines)]);
      if (logOptions.sinceSeconds !== undefined) params.push(['sinceSeconds', String(logOptions.sinceSeconds)]);
      if (logOptions.previous) params.push(['previous', 'true']);
      const answer = await request(path, params, 'text/plain, */*');
      if (answer.status === 404) parseJson(answer, `Pod ${logOptions.namespace}/${logOptions.pod}`);
      return { text: answer.raw, request: answer.request, raw: answer.raw };
    },

    async events(eventOptions = {}) {
      const selector: string[] = [];
      if (eventOptions.kind)
        selector.push(`involvedObject.kind=${findKubeKind(eventOptions.kind)?.kind ?? eventOptions.kind}`);
      if (eventOptions.name) selector.push(`involvedObject.name=${eventOptions.name}`);
      if (eventOptions.uid) selector.push(`involvedObject.uid=${eventOptions.uid}`);
      const result = await list(resolveKubeKind('Event'), {
        ...(eventOptions.namespace === undefined ? {} : { namespace: eventOptions.namespace }),
        ...(selector.length > 0 ? { fieldSelector: selector.join(',') } : {}),
        ...(eventOptions.limit === undefined ? {} : { limit: eventOptions.limit }),
      });
      // Stable sort: events seen at the same moment keep the API's order.
      return { ...result, items: [...result.items].sort((left, right) => eventTime(left) - eventTime(right)) };
    },

    async version() {
      const answer = await request('/version');
      return {
        version: parseJson(answer, 'version endpoint') as KubeVersionInfo,
        request: answer.request,
        raw: answer.raw,
      };
    },

    resolveKind: (kind, apiVersion) => discovery.resolve(kind, apiVersion),

    apiResources: () => discovery.catalog(),

    stats: () => stats.snapshot(),
  };
}
