import { visit } from 'yaml';
import type { Issue } from '../core/errors.js';
import { HolmesError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { fillObjectDefaults } from './fill-object-defaults.js';
import { createKindRegistry } from './kube-api/kind-registry.js';
import { KUBE_KINDS, KUBERNETES_GROUPS, groupOf, groupVersionOf } from './kube-api/kinds.js';
import { substituteNow } from './substitute-now.js';
import type { YamlSource } from '../core/yaml-source.js';
import { lineAt, parseYamlStream } from '../core/yaml-source.js';

export interface ParseKubernetesObjectsOptions {
  /** The file name used in issues. */
  file: string;
  now: Date;
}

const KIND_LIST = `${KUBE_KINDS.map((entry) => `${entry.kind} (${groupVersionOf(entry)})`).join(', ')}, and custom resources of any group of their own (e.g. argoproj.io/v1alpha1 Rollout)`;

// `v1`, `apps/v1`, `argoproj.io/v1alpha1`: an optional group (a DNS subdomain) and a version.
const API_VERSION = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[a-z0-9]+$/;

// What the API server accepts as an object name (a DNS subdomain).
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads kubernetes.yaml: a multi-document stream of the kinds the lab serves. Resolves `now` and
 * `now-<duration>` string values, fills what the API server would (see fillObjectDefaults), and
 * returns every problem with its line instead of stopping at the first.
 */
export function parseKubernetesObjects(
  text: string,
  options: ParseKubernetesObjectsOptions,
): { objects: KubeObject[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const checked: Array<{ object: KubeObject; source: YamlSource; report: Report }> = [];
  for (const { source, issues: syntaxIssues } of parseYamlStream(text, options.file)) {
    issues.push(...syntaxIssues);
    // An empty or comment-only document reads as null: skipped, as kubectl skips it.
    if (syntaxIssues.length > 0 || source.document.toJS() == null) continue;
    const report: Report = (path, message, fix) => {
      issues.push({ path: documentPath(source, path), message, file: options.file, line: lineAt(source, path), fix });
    };
    const before = issues.length;
    substituteTimes(source, options.now, issues);
    const object = checkObject(source.document.toJS() as unknown, report);
    if (object === undefined || issues.length > before) continue;
    checked.push({ object, source, report });
  }

  // Custom resources are checked against each other: a CRD decides their versions and scope.
  const { registry, issues: kindIssues } = createKindRegistry(checked.map(({ object }) => object));
  const rejected = new Set<number>();
  for (const issue of kindIssues) {
    checked[issue.index]?.report(issue.path, issue.message, issue.fix);
    rejected.add(issue.index);
  }
  const objects: KubeObject[] = [];
  const seen = new Map<string, number | undefined>();
  checked.forEach(({ object, source, report }, index) => {
    if (rejected.has(index)) return;
    const namespaced = registry.forObject(object.apiVersion, object.kind)?.namespaced !== false;
    const namespace = namespaced ? (object.metadata.namespace ?? 'default') : '';
    const key = `${groupOf(object.apiVersion)}/${object.kind}/${namespace}/${object.metadata.name}`;
    if (seen.has(key)) {
      report(
        ['metadata', 'name'],
        `${object.kind} ${object.metadata.name} appears twice (first at line ${seen.get(key)})`,
        'Remove one of them or rename it.',
      );
      return;
    }
    seen.set(key, lineAt(source, []));
    objects.push(object);
  });
  return { objects: fillObjectDefaults(objects, options.now), issues };
}

/** Replaces `now` / `now-<duration>` string values (never keys) in place, on the syntax tree so errors keep their line. */
function substituteTimes(source: YamlSource, now: Date, issues: Issue[]): void {
  visit(source.document, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string') return;
      try {
        node.value = substituteNow(node.value, now);
      } catch (error) {
        if (!HolmesError.isInstance(error)) throw error;
        const range = node.range;
        issues.push({
          path: `documents[${source.index}]`,
          message: error.message,
          file: source.file,
          ...(range ? { line: source.lineCounter.linePos(range[0]).line } : {}),
          ...(error.fix === undefined ? {} : { fix: error.fix }),
        });
      }
    },
  });
}

type Report = (path: ReadonlyArray<PropertyKey>, message: string, fix: string) => void;

function checkObject(value: unknown, report: Report): KubeObject | undefined {
  if (!isRecord(value)) {
    report(
      [],
      'expected a Kubernetes object: a map with apiVersion, kind and metadata',
      'Write a standard manifest, or remove the stray document.',
    );
    return undefined;
  }
  const { kind, apiVersion, metadata } = value;
  if (typeof kind !== 'string') {
    report(['kind'], 'missing kind', `Add \`kind:\`; the lab serves ${KIND_LIST}.`);
    return undefined;
  }
  if (kind === 'Secret') {
    report(
      ['kind'],
      'Secrets never appear in scenarios',
      'Remove the Secret; refer to it by name from the objects that use it.',
    );
    return undefined;
  }
  const written = typeof apiVersion === 'string' && API_VERSION.test(apiVersion) ? apiVersion : undefined;
  const group = written === undefined ? undefined : groupOf(written);
  // A kind of Kubernetes' own groups must be one the lab serves; any other group is a custom resource's.
  const builtIn = KUBE_KINDS.find((entry) => entry.kind === kind);
  if (builtIn === undefined && written === undefined) {
    report(
      ['apiVersion'],
      `expected an apiVersion such as v1, apps/v1 or argoproj.io/v1alpha1, found ${apiVersion === undefined ? 'none' : `'${String(apiVersion)}'`}`,
      'Write the apiVersion of the real object.',
    );
    return undefined;
  }
  if (builtIn === undefined && (group === undefined || KUBERNETES_GROUPS.has(group))) {
    report(['kind'], `kind ${kind} is not one the lab serves`, `Use one of ${KIND_LIST}, or leave the object out.`);
    return undefined;
  }
  let ok = true;
  const problem: Report = (...args) => {
    ok = false;
    report(...args);
  };
  const custom = group !== undefined && !KUBERNETES_GROUPS.has(group);
  if (builtIn !== undefined && !custom && written !== groupVersionOf(builtIn)) {
    problem(
      ['apiVersion'],
      `${kind} needs apiVersion ${groupVersionOf(builtIn)}, found ${apiVersion === undefined ? 'none' : String(apiVersion)}`,
      `Write \`apiVersion: ${groupVersionOf(builtIn)}\`.`,
    );
  }
  if (custom && !group.includes('.')) {
    problem(
      ['apiVersion'],
      `'${group}' is neither an API group the lab serves nor a custom resource's group (a domain with a dot)`,
      'Write the apiVersion of the real object, e.g. argoproj.io/v1alpha1 for an Argo Rollout.',
    );
  }
  if (!isRecord(metadata)) {
    problem(['metadata'], 'missing metadata', 'Add `metadata:` with at least `name:`.');
    return undefined;
  }
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || !OBJECT_NAME.test(name) || name.length > 253) {
    problem(
      ['metadata', 'name'],
      `expected a name of lower-case letters, digits, '-' and '.', found ${name === undefined ? 'none' : `'${String(name)}'`}`,
      'Give the object a valid metadata.name, e.g. chat-api-7d9f-x2.',
    );
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || !OBJECT_NAME.test(namespace))) {
    problem(
      ['metadata', 'namespace'],
      `expected a namespace name, found '${String(namespace)}'`,
      'Write a valid namespace name, or leave it out for default.',
    );
  }
  if (builtIn !== undefined && !custom && !builtIn.namespaced && namespace !== undefined) {
    problem(['metadata', 'namespace'], `${kind} is cluster-scoped and has no namespace`, 'Remove metadata.namespace.');
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isRecord(map)) {
      problem(['metadata', field], `expected metadata.${field} to be a map`, `Write \`${field}: {key: value}\`.`);
      continue;
    }
    for (const [key, entry] of Object.entries(map)) {
      if (typeof entry !== 'string') {
        problem(
          ['metadata', field, key],
          `the value of ${key} is ${entry === null ? 'empty' : `a ${typeof entry}`}; Kubernetes wants strings`,
          `Quote it: ${key}: "${String(entry ?? '')}".`,
        );
      }
    }
  }
  return ok ? (value as unknown as KubeObject) : undefined;
}

function documentPath(source: YamlSource, path: ReadonlyArray<PropertyKey>): string {
  return [`documents[${source.index}]`, ...path.map(String)].join('.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
