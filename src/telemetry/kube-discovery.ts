import { HolmesError } from '../core/errors.js';
import { apiGroupOf } from '../core/kube-object.js';
import { findKubeKind, isSecretName, KUBE_KINDS, refuseSecrets, type KubeKind } from './kube-kinds.js';
import { jsonObjectOf, type KubeRequest } from './kube-request.js';

/** What the API server's discovery says it serves, as far as Holmes may read it. */
export interface KubeCatalog {
  kinds: KubeKind[];
  /** Group versions whose discovery failed (an aggregated API that is down): their kinds are unknown. */
  failed: string[];
  requests: string[];
}

/** Finds kinds through the API server's discovery documents, cached; never a Secret. */
export interface KubeDiscovery {
  /**
   * The kind a name names: kind, plural, singular or short name, any case, optionally as
   * `name.group` or `name.version.group` (as kubectl takes them), or with an apiVersion.
   */
  resolve(name: string, apiVersion?: string): Promise<KubeKind>;
  /** Every kind the server serves at its preferred versions (legacy discovery of /api/v1 and each group). */
  catalog(): Promise<KubeCatalog>;
}

export interface KubeDiscoveryOptions {
  /** How long discovery answers are kept; default 5 minutes, as CRDs come and go. */
  ttlMs?: number;
  /** A kind not found is looked up again once when the cache is older than this; default 30 s. */
  refreshAfterMs?: number;
  clock?: () => number;
}

const API_VERSION = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]+$/;
const VERSION = /^v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
// Discovery of many groups at once, but not all of a large cluster's in one burst.
const PARALLEL = 6;

interface ApiResource {
  name?: unknown;
  singularName?: unknown;
  namespaced?: unknown;
  kind?: unknown;
  verbs?: unknown;
  shortNames?: unknown;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The readable resources of one APIResourceList: no subresources, no Secrets, only what can be got or listed. */
function kindsOf(apiVersion: string, body: Record<string, unknown>): KubeKind[] {
  const resources = Array.isArray(body.resources) ? (body.resources as ApiResource[]) : [];
  return resources.flatMap((resource) => {
    const { name, kind } = resource;
    if (typeof name !== 'string' || typeof kind !== 'string' || name.includes('/')) return [];
    const verbs = strings(resource.verbs);
    if (!verbs.includes('get') && !verbs.includes('list')) return [];
    if (isSecretName(name) || isSecretName(kind) || apiGroupOf(apiVersion) === 'secrets') return [];
    return [
      {
        kind,
        apiVersion,
        plural: name,
        namespaced: resource.namespaced === true,
        shortNames: strings(resource.shortNames),
        ...(typeof resource.singularName === 'string' && resource.singularName !== ''
          ? { singular: resource.singularName }
          : {}),
      },
    ];
  });
}

function matches(kind: KubeKind, name: string): boolean {
  const wanted = name.toLowerCase();
  return (
    kind.kind.toLowerCase() === wanted ||
    kind.plural === wanted ||
    kind.singular === wanted ||
    kind.shortNames.includes(wanted)
  );
}

function describe(kind: KubeKind): string {
  return `${kind.kind} (${kind.apiVersion})`;
}

function notFound(name: string, where: string, known: KubeKind[], failed: string[]): HolmesError {
  const sample = known.slice(0, 40).map(describe).join(', ');
  const down = failed.length > 0 ? ` Discovery failed for ${failed.join(', ')}, whose kinds are unknown.` : '';
  return new HolmesError('TOOL_PARAMS_INVALID', `The Kubernetes API serves no kind '${name}' ${where}.${down}`, {
    fix: `Use a kind the cluster serves (kubernetes_api_resources lists them), e.g. ${sample || 'Pod'}.`,
    details: { kind: name },
  });
}

/**
 * Resolves kinds the way kubectl does: the built-in kinds Holmes knows are answered without a
 * request; any other kind (a custom resource) is looked up in the API server's discovery. An
 * apiVersion asks one group version; a bare name asks every group's preferred version.
 */
export function createKubeDiscovery(request: KubeRequest, options: KubeDiscoveryOptions = {}): KubeDiscovery {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const refreshAfterMs = options.refreshAfterMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  const groupVersions = new Map<string, { at: number; kinds: Promise<KubeKind[] | undefined> }>();
  let cached: { at: number; catalog: Promise<KubeCatalog> } | undefined;

  /** One group version's resources; undefined when the server does not serve it (404). */
  const groupVersion = (apiVersion: string, fresh = false): Promise<KubeKind[] | undefined> => {
    const hit = groupVersions.get(apiVersion);
    if (hit && !fresh && clock() - hit.at < ttlMs) return hit.kinds;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const kinds = request(path).then((answer) =>
      answer.status === 404 ? undefined : kindsOf(apiVersion, jsonObjectOf(answer)),
    );
    groupVersions.set(apiVersion, { at: clock(), kinds });
    // A failure is not remembered: the next call asks again.
    kinds.catch(() => groupVersions.delete(apiVersion));
    return kinds;
  };

  const load = async (): Promise<KubeCatalog> => {
    const answer = await request('/apis');
    const groups = jsonObjectOf(answer).groups;
    const versions = [
      'v1',
      ...(Array.isArray(groups) ? (groups as Array<{ preferredVersion?: { groupVersion?: string } }>) : [])
        .map((group) => group.preferredVersion?.groupVersion)
        .filter((version): version is string => typeof version === 'string' && API_VERSION.test(version)),
    ];
    const catalog: KubeCatalog = { kinds: [], failed: [], requests: [answer.request] };
    for (let start = 0; start < versions.length; start += PARALLEL) {
      const batch = versions.slice(start, start + PARALLEL);
      const results = await Promise.allSettled(batch.map((version) => groupVersion(version, true)));
      results.forEach((result, index) => {
        const version = batch[index] as string;
        catalog.requests.push(version.includes('/') ? `/apis/${version}` : `/api/${version}`);
        if (result.status === 'fulfilled' && result.value) catalog.kinds.push(...result.value);
        else catalog.failed.push(version);
      });
    }
    return catalog;
  };

  const catalog = (fresh = false): Promise<KubeCatalog> => {
    if (cached && !fresh && clock() - cached.at < ttlMs) return cached.catalog;
    const entry = { at: clock(), catalog: load() };
    cached = entry;
    entry.catalog.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return entry.catalog;
  };

  const byApiVersion = async (name: string, apiVersion: string): Promise<KubeKind> => {
    if (!API_VERSION.test(apiVersion)) {
      throw new HolmesError('TOOL_PARAMS_INVALID', `'${apiVersion}' is not an apiVersion.`, {
        fix: 'Write it as the object does: v1, apps/v1, argoproj.io/v1alpha1.',
      });
    }
    const builtIn = KUBE_KINDS.find((kind) => kind.apiVersion === apiVersion && matches(kind, name));
    if (builtIn) return builtIn;
    const find = (kinds: KubeKind[] | undefined) => kinds?.find((kind) => matches(kind, name));
    const hit = groupVersions.get(apiVersion);
    let found = find(await groupVersion(apiVersion));
    if (!found && hit && clock() - hit.at > refreshAfterMs) found = find(await groupVersion(apiVersion, true));
    if (found) return found;
    const served = await groupVersion(apiVersion);
    if (!served) {
      throw new HolmesError('TOOL_PARAMS_INVALID', `The Kubernetes API does not serve ${apiVersion}.`, {
        fix: 'Check the apiVersion (kubernetes_api_resources lists what the cluster serves).',
        details: { apiVersion },
      });
    }
    throw notFound(name, `in ${apiVersion}`, served, []);
  };

  const byName = async (name: string): Promise<KubeKind> => {
    const builtIn = findKubeKind(name);
    if (builtIn) return builtIn;
    // kubectl's forms: `rollouts.argoproj.io` and `rollouts.v1alpha1.argoproj.io`.
    const [resource = '', ...rest] = name.trim().toLowerCase().split('.');
    const version = rest.length > 1 && VERSION.test(rest[0] ?? '') ? rest.shift() : undefined;
    const group = rest.length > 0 ? rest.join('.') : undefined;
    const pick = (known: KubeCatalog) =>
      known.kinds.filter(
        (kind) =>
          matches(kind, resource) &&
          (group === undefined || apiGroupOf(kind.apiVersion) === group) &&
          (version === undefined || kind.apiVersion.endsWith(`/${version}`)),
      );
    if (version !== undefined && group !== undefined) return byApiVersion(resource, `${group}/${version}`);
    let known = await catalog();
    let found = pick(known);
    if (found.length === 0 && cached && clock() - cached.at > refreshAfterMs) {
      known = await catalog(true);
      found = pick(known);
    }
    if (found.length === 1) return found[0] as KubeKind;
    if (found.length === 0)
      throw notFound(
        name,
        'in its discovery',
        known.kinds.filter((kind) => !findKubeKind(kind.plural)),
        known.failed,
      );
    throw new HolmesError(
      'TOOL_PARAMS_INVALID',
      `Kind '${name}' is served by several API groups: ${found.map(describe).join(', ')}.`,
      {
        fix: `Pass the apiVersion of the one meant (api_version: ${found[0]?.apiVersion}), or write the kind as ${found[0]?.plural}.${apiGroupOf(found[0]?.apiVersion ?? '')}.`,
        details: { kind: name, candidates: found.map((kind) => kind.apiVersion) },
      },
    );
  };

  return {
    resolve: async (name, apiVersion) => {
      refuseSecrets(name, apiVersion);
      return apiVersion === undefined || apiVersion === '' ? byName(name) : byApiVersion(name, apiVersion);
    },
    catalog: () => catalog(),
  };
}
