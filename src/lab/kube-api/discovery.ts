import type { KindRegistry } from './kind-registry.js';
import { groupVersionOf, type KubeKind } from './kinds.js';
import { compareKubeVersions } from './kube-version-priority.js';

/**
 * Legacy (unaggregated) discovery documents. Clients that ask for aggregated discovery
 * (`as=APIGroupDiscoveryList`) get these too: the Content-Type tells them to fall back.
 */

/** The version the lab claims; a build suffix marks it as the lab, as k3s does with `+k3s1`. */
export const LAB_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4+holmes-lab',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Each named group's versions, preferred version first, built-in groups before custom ones. */
function servedGroups(registry: KindRegistry): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const kubeKind of registry.kinds) {
    if (kubeKind.group === '') continue;
    const versions = byGroup.get(kubeKind.group) ?? [];
    if (!versions.includes(kubeKind.version)) versions.push(kubeKind.version);
    byGroup.set(kubeKind.group, versions);
  }
  for (const versions of byGroup.values()) versions.sort(compareKubeVersions);
  return byGroup;
}

/** GET /api */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis */
export function apiGroupList(registry: KindRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...servedGroups(registry)].map(([name, versions]) => {
      const versionEntries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: versionEntries, preferredVersion: versionEntries[0] };
    }),
  };
}

/** GET /apis/<group> */
export function apiGroup(registry: KindRegistry, group: string): Record<string, unknown> | undefined {
  const versions = servedGroups(registry).get(group);
  if (!versions) return undefined;
  const versionEntries = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versionEntries,
    preferredVersion: versionEntries[0],
  };
}

function resourceEntries(kubeKind: KubeKind): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: kubeKind.plural,
    singularName: kubeKind.singular,
    namespaced: kubeKind.namespaced,
    kind: kubeKind.kind,
    verbs: kubeKind.verbs,
  };
  if (kubeKind.shortNames.length > 0) main.shortNames = kubeKind.shortNames;
  if (kubeKind.categories.length > 0) main.categories = kubeKind.categories;
  const subresources = kubeKind.subresources.map((subresource) => ({
    name: `${kubeKind.plural}/${subresource}`,
    singularName: '',
    namespaced: kubeKind.namespaced,
    kind: kubeKind.kind,
    verbs: ['get'],
  }));
  return [main, ...subresources];
}

/** GET /api/v1 or /apis/<group>/<version>; undefined when the lab serves no such group version. */
export function apiResourceList(
  registry: KindRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const kinds = registry.kinds.filter((kubeKind) => kubeKind.group === group && kubeKind.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf({ group, version }),
    resources: kinds.flatMap(resourceEntries),
  };
}
