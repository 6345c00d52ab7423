import type { GraphSeriesSpec } from '../core/graph-spec.js';
import type { Labels } from '../telemetry/prometheus-types.js';

// Names past this length are shortened in the middle: a pod's hash suffix is what tells replicas apart.
const MAX_NAME = 36;
const HEAD = 20;

// Bare numbers read better with what they count: `GPU 3`, not `3`.
const WORDS: Record<string, string> = { gpu: 'GPU', GPU_I_ID: 'MIG', device: 'device', le: 'le' };

function labelPart(name: string, value: string): string {
  return /^\d+$/.test(value) ? `${WORDS[name] ?? name} ${value}` : value;
}

function shorten(name: string): string {
  if ([...name].length <= MAX_NAME) return name;
  const characters = [...name];
  return `${characters.slice(0, HEAD).join('')}…${characters.slice(HEAD + 1 - MAX_NAME).join('')}`;
}

// Labels that name what a series is, most telling first: the first that tells every series apart names them.
const NAMING = [
  'pod',
  'Hostname',
  'node',
  'gpu',
  'model_name',
  'model',
  'team',
  'api_key_alias',
  'client',
  'instance',
  'namespace',
  'container',
  'job',
];

/** What tells the series apart: one naming label if one does, else every label whose values differ. */
function distinguishing(labelSets: Labels[]): string[] {
  const differs = (name: string) => new Set(labelSets.map((labels) => labels[name])).size > 1;
  const unique = (name: string) =>
    labelSets.every((labels) => labels[name] !== undefined) &&
    new Set(labelSets.map((labels) => labels[name])).size === labelSets.length;
  const naming = NAMING.find(unique);
  if (naming) return [naming];
  const names = new Set(labelSets.flatMap((labels) => Object.keys(labels)));
  return [...names].filter((name) => name !== '__name__' && differs(name)).sort();
}

function fromLabels(names: string[], labels: Labels): string {
  return names
    .filter((name) => labels[name] !== undefined && labels[name] !== '')
    .map((name) => labelPart(name, labels[name]!))
    .join(' · ');
}

/**
 * Names the series one query returned, by what they are (a pod, a GPU, a client) rather than by
 * their label sets: the legend's label values, or its fixed text (followed by what tells the
 * series apart when the query returned several).
 */
export function nameSeries(legend: GraphSeriesSpec['legend'], labelSets: Labels[]): string[] {
  const apart = distinguishing(labelSets);
  return labelSets.map((labels) => {
    if (typeof legend === 'string') {
      const detail = labelSets.length > 1 ? fromLabels(apart, labels) : '';
      return shorten(detail ? `${legend} ${detail}` : legend);
    }
    return shorten(fromLabels(legend, labels) || fromLabels(apart, labels) || labels.__name__ || 'series');
  });
}
