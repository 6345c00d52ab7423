import type { GraphSpec, GraphUnit } from '../../core/graph-spec.js';
import type { SignalSpec } from '../toolset-schema.js';
import { toolGraph } from './tool-graph.js';

/** A signal's unit as a graph axis prints it; a unit with no axis of its own is a plain count. */
const AXIS_UNITS: Record<string, GraphUnit> = {
  ratio: 'ratio',
  percent: 'percent',
  seconds: 's',
  '/s': 'per_second',
  'B/s': 'bytes_per_second',
  'usd/h': 'usd_per_hour',
  '°C': 'celsius',
  MHz: 'mhz',
  W: 'watts',
};

/** Label names that name a series of each kind of subject, in order; the first two a series has are used. */
const LEGEND_LABELS: Record<SignalSpec['subject'], string[]> = {
  pod: ['pod', 'exported_pod'],
  container: ['pod', 'exported_pod', 'container', 'exported_container'],
  gpu: ['Hostname', 'node', 'hostname', 'gpu'],
  node: ['node', 'Hostname', 'hostname', 'nodename', 'instance'],
  port: ['instance', 'device', 'port'],
  client: ['api_key_alias', 'hashed_api_key', 'end_user', 'team_alias', 'team'],
  model: ['model_name', 'requested_model', 'model'],
  namespace: ['namespace', 'exported_namespace'],
  autoscaler: ['horizontalpodautoscaler', 'scaledobject'],
  version: ['replicaset', 'version'],
  total: [],
};

export interface SignalGraphInput {
  spec: SignalSpec;
  /** The query that answered, rendered and escaped. */
  query: string;
  /** Labels of one returned series: which legend labels exist. */
  labels: Record<string, string> | undefined;
  startMs: number;
  endMs: number;
  stepSeconds: number;
  alertStartMs: number;
  onset: string | null;
}

/** How to draw what signal_change measured: the query over its range, the alert's start and the onset. */
export function signalGraph(input: SignalGraphInput): GraphSpec | undefined {
  const present = LEGEND_LABELS[input.spec.subject].filter((name) => input.labels?.[name] !== undefined).slice(0, 2);
  return toolGraph({
    title: input.spec.title,
    unit: AXIS_UNITS[input.spec.unit] ?? 'count',
    startMs: input.startMs,
    endMs: input.endMs,
    stepSeconds: input.stepSeconds,
    alertStartMs: input.alertStartMs,
    onset: input.onset,
    series: [{ query: input.query, legend: present.length > 0 ? present : input.spec.title.slice(0, 80) }],
  });
}
