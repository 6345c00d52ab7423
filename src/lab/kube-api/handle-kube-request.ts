import { HolmesError } from '../../core/errors.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { ScenarioLog } from '../scenario.js';
import { LAB_VERSION, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { matchesFieldSelector, parseFieldSelector } from './field-selector.js';
import type { KindRegistry } from './kind-registry.js';
import { groupVersionOf, type KubeKind } from './kinds.js';
import type { KubeStore } from './kube-store.js';
import { kubeStatus, notFoundStatus, unknownPathStatus, type KubeStatus } from './kube-status.js';
import { matchesLabelSelector, parseLabelSelector } from './label-selector.js';
import { negotiateShape, parseIncludeObject, type ResponseShape } from './negotiate.js';
import { parseApiPath } from './parse-api-path.js';
import { readPodLog } from './pod-log.js';
import { columnsOf } from './columns-of.js';
import { toTable } from './table.js';

export interface KubeRequest {
  method: string;
  url: URL;
  accept: string | undefined;
}

export interface KubeResponse {
  status: number;
  contentType: 'application/json' | 'text/plain; charset=utf-8';
  body: string;
}

export interface KubeHandlerContext {
  /** The built-in kinds and the scenario's custom resources. */
  kinds: KindRegistry;
  store: KubeStore;
  logs: readonly ScenarioLog[];
  now: () => Date;
  /** host:port clients reach this server at, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
}

const READ_METHODS = new Set(['GET', 'HEAD']);
const WRITE_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
// Subresources that would act on a workload or reach into it; the lab only shows a snapshot.
const REFUSED_SUBRESOURCES = new Set([
  'exec',
  'attach',
  'portforward',
  'proxy',
  'eviction',
  'binding',
  'ephemeralcontainers',
]);
const READ_ONLY = 'The Holmes lab serves a frozen, read-only snapshot of a scenario';

function json(status: number, body: unknown): KubeResponse {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

function text(body: string): KubeResponse {
  return { status: 200, contentType: 'text/plain; charset=utf-8', body };
}

function failure(status: KubeStatus): KubeResponse {
  return json(status.code, status);
}

function forbiddenSecrets(
  verb: string,
  group: string,
  namespace: string | undefined,
  name: string | undefined,
): KubeResponse {
  const subject = name === undefined ? 'secrets' : `secrets "${name}"`;
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return failure(
    kubeStatus(
      403,
      `${subject} is forbidden: User "holmes" cannot ${verb} resource "secrets" in API group "${group}" ${scope}: Holmes never reads Secrets`,
      { name, group, kind: 'secrets' },
    ),
  );
}

function selectObjects(kubeKind: KubeKind, objects: KubeObject[], query: URLSearchParams): KubeObject[] | KubeStatus {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    const unsupported = fields.find(
      ({ field }) => field !== 'metadata.name' && field !== 'metadata.namespace' && !(field in kubeKind.fields),
    );
    if (unsupported) return kubeStatus(400, `field label not supported: ${unsupported.field}`);
    return objects.filter((object) => {
      if (!matchesLabelSelector(labels, object.metadata.labels)) return false;
      return matchesFieldSelector(fields, (field) => {
        if (field === 'metadata.name') return object.metadata.name;
        if (field === 'metadata.namespace') return object.metadata.namespace ?? '';
        return kubeKind.fields[field]?.(object) ?? '';
      });
    });
  } catch (error) {
    if (HolmesError.isInstance(error)) return kubeStatus(400, error.message);
    throw error;
  }
}

/** `limit` and `continue` as the API server pages: the token is opaque, here the next offset. */
function page(
  objects: KubeObject[],
  query: URLSearchParams,
): { items: KubeObject[]; continueToken?: string; remaining?: number } | KubeStatus {
  let offset = 0;
  const token = query.get('continue');
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0)
      return kubeStatus(400, 'continue key is not valid: the token was not issued by this server');
    offset = decoded;
  }
  const limit = Number(query.get('limit') ?? '0');
  if (!Number.isInteger(limit) || limit <= 0 || offset + limit >= objects.length)
    return { items: objects.slice(offset) };
  const next = offset + limit;
  return {
    items: objects.slice(offset, next),
    continueToken: Buffer.from(String(next)).toString('base64url'),
    remaining: objects.length - next,
  };
}

function render(
  kubeKind: KubeKind,
  stored: KubeObject[],
  shape: ResponseShape,
  context: KubeHandlerContext,
  query: URLSearchParams,
  list: { continueToken?: string; remaining?: number } | undefined,
): KubeResponse {
  const resourceVersion = context.store.resourceVersion;
  // Objects answer at the version asked for, as a CRD without conversion serves each version.
  const apiVersion = groupVersionOf(kubeKind);
  const objects = stored.map((object) => (object.apiVersion === apiVersion ? object : { ...object, apiVersion }));
  if (shape.type === 'table') {
    const table = toTable(columnsOf(kubeKind), objects, {
      now: context.now(),
      includeObject: parseIncludeObject(query.get('includeObject')),
      resourceVersion,
      continueToken: list?.continueToken,
    });
    return json(200, { ...table, apiVersion: `meta.k8s.io/${shape.version}` });
  }
  if (shape.type === 'metadata') {
    const metaVersion = `meta.k8s.io/${shape.version}`;
    const items = objects.map((object) => ({
      kind: 'PartialObjectMetadata',
      apiVersion: metaVersion,
      metadata: object.metadata,
    }));
    if (!list) return json(200, items[0]);
    return json(200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: metaVersion,
      metadata: listMetadata(resourceVersion, list),
      items,
    });
  }
  if (!list) return json(200, objects[0]);
  return json(200, {
    apiVersion,
    kind: `${kubeKind.kind}List`,
    metadata: listMetadata(resourceVersion, list),
    items: objects,
  });
}

function listMetadata(
  resourceVersion: string,
  list: { continueToken?: string; remaining?: number },
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion };
  if (list.continueToken) {
    metadata.continue = list.continueToken;
    metadata.remainingItemCount = list.remaining;
  }
  return metadata;
}

export function handleKubeRequest(context: KubeHandlerContext, request: KubeRequest): KubeResponse {
  const path = parseApiPath(request.url.pathname, context.kinds);
  const query = request.url.searchParams;
  const isRead = READ_METHODS.has(request.method);
  const verb = isRead
    ? path.type === 'secrets' && path.name === undefined
      ? 'list'
      : 'get'
    : (WRITE_VERBS[request.method] ?? request.method.toLowerCase());

  if (path.type === 'secrets') return forbiddenSecrets(verb, path.group, path.namespace, path.name);
  if (path.type === 'resource' && path.subresource !== undefined && REFUSED_SUBRESOURCES.has(path.subresource)) {
    const resource = `${path.kubeKind.plural}/${path.subresource}`;
    return failure(
      kubeStatus(
        403,
        `${path.kubeKind.plural} "${path.name ?? ''}" is forbidden: User "holmes" cannot use resource "${resource}": ${READ_ONLY}; ${path.subresource} is refused.`,
        {
          name: path.name,
          group: path.kubeKind.group,
          kind: path.kubeKind.plural,
        },
      ),
    );
  }
  if (!isRead) {
    return failure(
      kubeStatus(
        405,
        `the server does not allow this method on the requested resource: ${READ_ONLY}; ${request.method} ${request.url.pathname} is refused.`,
      ),
    );
  }
  const watch = query.get('watch');
  if ((path.type === 'resource' && path.watch) || watch === 'true' || watch === '1') {
    return failure(
      kubeStatus(405, `watch is not supported: ${READ_ONLY} that never changes; use list or get instead.`),
    );
  }

  switch (path.type) {
    case 'health':
      return text('ok');
    case 'version':
      return json(200, LAB_VERSION);
    case 'root':
      return json(200, {
        paths: ['/api', '/api/v1', '/apis', ...apiPaths(context.kinds), '/healthz', '/livez', '/readyz', '/version'],
      });
    case 'api':
      return json(200, apiVersions(context.serverAddress));
    case 'apis':
      return json(200, apiGroupList(context.kinds));
    case 'group': {
      const document = apiGroup(context.kinds, path.group);
      return document ? json(200, document) : failure(unknownPathStatus());
    }
    case 'resources': {
      const document = apiResourceList(context.kinds, path.group, path.version);
      return document ? json(200, document) : failure(unknownPathStatus());
    }
    case 'openapi':
    case 'unknown':
      return failure(unknownPathStatus());
    case 'resource':
      return serveResource(context, path.kubeKind, path.namespace, path.name, path.subresource, request.accept, query);
  }
}

function apiPaths(kinds: KindRegistry): string[] {
  const named = kinds.kinds.filter((kubeKind) => kubeKind.group !== '');
  const groups = new Set(named.map((kubeKind) => kubeKind.group));
  const versions = new Set(named.map(groupVersionOf));
  return [
    ...[...groups].map((group) => `/apis/${group}`),
    ...[...versions].map((version) => `/apis/${version}`),
  ].sort();
}

function serveResource(
  context: KubeHandlerContext,
  kubeKind: KubeKind,
  namespace: string | undefined,
  name: string | undefined,
  subresource: string | undefined,
  accept: string | undefined,
  query: URLSearchParams,
): KubeResponse {
  const shape = negotiateShape(accept);
  if (name === undefined) {
    const selected = selectObjects(kubeKind, context.store.list(kubeKind, namespace), query);
    if (!Array.isArray(selected)) return failure(selected);
    const paged = page(selected, query);
    if (!('items' in paged)) return failure(paged);
    return render(kubeKind, paged.items, shape, context, query, paged);
  }
  // A namespaced object is named by its namespace; without one the API server finds nothing.
  const object =
    kubeKind.namespaced && namespace === undefined ? undefined : context.store.get(kubeKind, namespace, name);
  if (subresource !== undefined && !kubeKind.subresources.includes(subresource)) return failure(unknownPathStatus());
  if (!object) return failure(notFoundStatus(kubeKind.plural, name, kubeKind.group));
  if (subresource === 'log') {
    const log = readPodLog(object, context.logs, query, context.now());
    return log.kind === 'text' ? text(log.text) : failure(log.status);
  }
  return render(kubeKind, [object], shape, context, query, undefined);
}
