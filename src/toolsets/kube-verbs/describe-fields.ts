import type { KubeObject } from '../../core/kube-object.js';

const MAX_LINES = 40;
const MAX_VALUE = 160;
// Shown elsewhere in describe (summary, labels, owners, conditions, containers) or only noise.
const SKIPPED = new Set(['status.conditions', 'spec.template', 'metadata', 'apiVersion', 'kind']);
const POD_SPEC = /(^|\.)(template|containers|initContainers|volumes)$/;

/** Leaf fields as `path: value`, arrays of scalars joined, pod templates left to the containers section. */
function flatten(value: unknown, path: string, into: string[]): void {
  if (SKIPPED.has(path) || POD_SPEC.test(path)) return;
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      into.push(`${path}: [${value.join(', ')}]`);
      return;
    }
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, into));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) flatten(entry, path === '' ? key : `${path}.${key}`, into);
    return;
  }
  const text = String(value);
  into.push(`${path}: ${text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text}`);
}

/**
 * What `kubectl describe` prints for a kind it has no describer of: the object's fields (spec,
 * status and the rest), here one line per leaf, capped, with a count of what was left out.
 */
export function describeFields(object: KubeObject): string[] {
  const fields: string[] = [];
  flatten(object, '', fields);
  if (fields.length === 0) return [];
  const shown = fields.slice(0, MAX_LINES).map((line) => `  ${line}`);
  const more = fields.length > MAX_LINES ? [`  … ${fields.length - MAX_LINES} more fields`] : [];
  return ['fields:', ...shown, ...more];
}
