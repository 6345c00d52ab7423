import type { KubeObject } from '../../core/kube-object.js';
import { KUBERNETES_GROUPS, groupOf, versionOf, type KubeKind } from './kinds.js';
import { compareKubeVersions } from './kube-version-priority.js';
import { readList, readPath, readText } from './read-path.js';
import { PRINTER_COLUMN_TYPES, customResourceColumns, type PrinterColumn } from './table-columns-custom.js';

/** A problem with one object of the list given, by its index, for the loader to place in its file. */
export interface KindIssue {
  index: number;
  path: PropertyKey[];
  message: string;
  fix: string;
}

const CRD_GROUP = 'apiextensions.k8s.io';
const READ_VERBS = ['get', 'list'];

/**
 * A kind's resource name when no CRD gives it: the lower-case kind made plural the way CRD
 * authors write it (`Rollout` → rollouts, `NetworkPolicy` → networkpolicies, `Gateway` →
 * gateways, `Ingress` → ingresses). kubectl's own guess differs only after a vowel and `y`.
 */
export function guessPlural(kind: string): string {
  const singular = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** A resource no CR may take: Holmes never serves or reads Secrets, under any group. */
function isSecretResource(group: string, kind: string, plural: string): boolean {
  return group === 'secrets' || kind === 'Secret' || plural === 'secrets';
}

function customKind(
  group: string,
  version: string,
  names: { kind: string; plural: string; singular: string; shortNames: string[]; categories: string[] },
  namespaced: boolean,
  printerColumns: readonly PrinterColumn[],
  selectableFields: readonly string[],
): KubeKind {
  return {
    ...names,
    group,
    version,
    namespaced,
    verbs: READ_VERBS,
    subresources: [],
    // CRD selectableFields are simple paths (`.spec.color`), read as field labels are.
    fields: Object.fromEntries(
      selectableFields.map((path) => [path.replace(/^\./, ''), (object) => readText(object, path.replace(/^\./, ''))]),
    ),
    columns: customResourceColumns(printerColumns),
  };
}

interface Reader {
  index: number;
  issues: KindIssue[];
}

function report(reader: Reader, path: PropertyKey[], message: string, fix: string): void {
  reader.issues.push({ index: reader.index, path, message, fix });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function readPrinterColumns(version: Record<string, unknown>, at: number, reader: Reader): PrinterColumn[] {
  return readList(version, 'additionalPrinterColumns').flatMap((column, index) => {
    const path = ['spec', 'versions', at, 'additionalPrinterColumns', index];
    const { name, type, jsonPath, priority, format, description } = column;
    if (typeof name !== 'string' || typeof jsonPath !== 'string' || !jsonPath.startsWith('.')) {
      report(
        reader,
        path,
        'a printer column needs a name and a jsonPath starting with "."',
        'Write `{name: Status, type: string, jsonPath: .status.phase}`.',
      );
      return [];
    }
    if (typeof type !== 'string' || !PRINTER_COLUMN_TYPES.has(type)) {
      report(
        reader,
        [...path, 'type'],
        `printer column ${name} has type ${String(type)}`,
        `Use one of ${[...PRINTER_COLUMN_TYPES].join(', ')}.`,
      );
      return [];
    }
    return [
      {
        name,
        type: type as PrinterColumn['type'],
        jsonPath,
        ...(typeof priority === 'number' ? { priority } : {}),
        ...(typeof format === 'string' ? { format } : {}),
        ...(typeof description === 'string' ? { description } : {}),
      },
    ];
  });
}

/** The served kinds one CustomResourceDefinition declares (one per served version). */
function readDefinition(object: KubeObject, reader: Reader): KubeKind[] {
  const group = readText(object, 'spec.group');
  const kind = readText(object, 'spec.names.kind');
  const plural = readText(object, 'spec.names.plural');
  const scope = readText(object, 'spec.scope');
  const problems = reader.issues.length;
  if (!group.includes('.') || KUBERNETES_GROUPS.has(group))
    report(
      reader,
      ['spec', 'group'],
      `a CRD's group must be a domain of its own with at least one dot, found '${group}'`,
      'Write the group of the real CRD, e.g. argoproj.io.',
    );
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind))
    report(
      reader,
      ['spec', 'names', 'kind'],
      `expected a CamelCase kind, found '${kind}'`,
      'Write the kind of the real CRD, e.g. Rollout.',
    );
  if (!/^[a-z][a-z0-9]*$/.test(plural))
    report(
      reader,
      ['spec', 'names', 'plural'],
      `expected a lower-case plural, found '${plural}'`,
      'Write the resource name of the real CRD, e.g. rollouts.',
    );
  if (scope !== 'Namespaced' && scope !== 'Cluster')
    report(
      reader,
      ['spec', 'scope'],
      `expected Namespaced or Cluster, found '${scope}'`,
      'Write `scope: Namespaced` (or Cluster).',
    );
  if (object.metadata.name !== `${plural}.${group}`)
    report(
      reader,
      ['metadata', 'name'],
      `a CRD is named <plural>.<group>, here ${plural}.${group}, found ${object.metadata.name}`,
      `Write \`name: ${plural}.${group}\`.`,
    );
  if (isSecretResource(group, kind, plural))
    report(
      reader,
      ['spec', 'names'],
      'a resource named like Secrets is never served',
      'Leave it out; Holmes never reads Secrets.',
    );
  const versions = readList(object, 'spec.versions');
  if (versions.length === 0)
    report(
      reader,
      ['spec', 'versions'],
      'a CRD needs at least one version',
      'Write `versions: [{name: v1, served: true, storage: true}]`.',
    );
  const columns = versions.map((version, at) => readPrinterColumns(version, at, reader));
  if (reader.issues.length > problems) return [];
  const names = {
    kind,
    plural,
    singular: readText(object, 'spec.names.singular') || kind.toLowerCase(),
    shortNames: strings(readPath(object, 'spec.names.shortNames')),
    categories: strings(readPath(object, 'spec.names.categories')),
  };
  return versions.flatMap((version, at) => {
    if (readPath(version, 'served') === false) return [];
    const selectable = readList(version, 'selectableFields').map((field) => readText(field, 'jsonPath'));
    return [customKind(group, readText(version, 'name'), names, scope === 'Namespaced', columns[at] ?? [], selectable)];
  });
}

/**
 * The custom resources a scenario's objects imply: each CRD's served versions, and for custom
 * resources without a CRD, a kind derived from the objects themselves (plural guessed, served at
 * every version the objects are written in, namespaced when any of them has a namespace).
 * Objects of Kubernetes' own groups are not custom resources and are not looked at here.
 */
export function customKinds(objects: readonly KubeObject[]): { kinds: KubeKind[]; issues: KindIssue[] } {
  const issues: KindIssue[] = [];
  const defined = new Map<string, KubeKind[]>();
  objects.forEach((object, index) => {
    if (object.kind !== 'CustomResourceDefinition' || groupOf(object.apiVersion) !== CRD_GROUP) return;
    const kinds = readDefinition(object, { index, issues });
    const key = `${kinds[0]?.group}/${kinds[0]?.kind}`;
    if (kinds.length > 0 && !defined.has(key)) defined.set(key, kinds);
  });

  const derived = new Map<string, { group: string; kind: string; versions: Set<string>; namespaced: boolean }>();
  objects.forEach((object, index) => {
    const group = groupOf(object.apiVersion);
    if (KUBERNETES_GROUPS.has(group)) return;
    const key = `${group}/${object.kind}`;
    const definition = defined.get(key);
    if (definition) {
      const version = versionOf(object.apiVersion);
      if (!definition.some((entry) => entry.version === version)) {
        const served = definition.map((entry) => `${group}/${entry.version}`).join(', ');
        issues.push({
          index,
          path: ['apiVersion'],
          message: `its CRD serves ${object.kind} at ${served}, not ${object.apiVersion}`,
          fix: `Write \`apiVersion: ${group}/${definition[0]?.version}\`, or serve this version in the CRD.`,
        });
      }
      if (!definition[0]?.namespaced && object.metadata.namespace !== undefined)
        issues.push({
          index,
          path: ['metadata', 'namespace'],
          message: `${object.kind} is cluster-scoped by its CRD and has no namespace`,
          fix: 'Remove metadata.namespace, or make the CRD `scope: Namespaced`.',
        });
      return;
    }
    const entry = derived.get(key) ?? { group, kind: object.kind, versions: new Set<string>(), namespaced: false };
    entry.versions.add(versionOf(object.apiVersion));
    if (object.metadata.namespace !== undefined) entry.namespaced = true;
    derived.set(key, entry);
  });

  const kinds = [...defined.values()].flat();
  for (const { group, kind, versions, namespaced } of derived.values()) {
    const names = { kind, plural: guessPlural(kind), singular: kind.toLowerCase(), shortNames: [], categories: [] };
    for (const version of versions) kinds.push(customKind(group, version, names, namespaced, [], []));
  }
  kinds.sort((left, right) => compareKubeVersions(left.version, right.version));
  return { kinds, issues };
}
