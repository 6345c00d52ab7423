import type { RangeSeries } from '../../telemetry/prometheus-types.js';
import { alertStartOf } from '../diagnostics/kube-reads.js';
import { formatValue } from '../format-value.js';
import { analyseChange, type Change, type Point } from '../signals/analyse-change.js';
import { queryMetrics } from '../signals/query-metrics.js';
import { signalGraph } from '../signals/signal-graph.js';
import { podLabels, readSignal, renderSignalQuery, scopeOf } from '../signals/signal-query.js';
import { createPodMatcher } from '../signals/workload-scope.js';
import type { BuiltinTool } from '../tool-context.js';
import type { SignalSpec } from '../toolset-schema.js';

const MINUTE = 60_000;
const SEARCH_BEFORE_MS = 120 * MINUTE;
const BASELINE_MS = 60 * MINUTE;
const MAX_POINTS = 480;
/** A series' first minutes hold rate()/increase() over a window it has not filled yet: partial, so skipped. */
const WARM_UP_MS = 5 * MINUTE;

/** A series' samples without its warm-up, as points. */
export function settled(series: RangeSeries): RangeSeries {
  const first = series.values[0]?.[0];
  if (first === undefined) return series;
  const kept = series.values.filter(([seconds]) => seconds * 1000 >= first * 1000 + WARM_UP_MS);
  // A series younger than its warm-up keeps its last sample: something is better than nothing.
  return { ...series, values: kept.length > 0 ? kept : series.values.slice(-1) };
}

/** One series' change, named by what it is about. */
export interface SeriesChange {
  subject: string;
  labels: Record<string, string>;
  ours: boolean;
  before: number | null;
  after: number | null;
  peak: number | null;
  /** Lowest value since the onset (or the alert): with peak, how far it swings. */
  low: number | null;
  last: number | null;
  /** after / before; null when there is no baseline (or it was 0). */
  ratio: number | null;
  onset: string | null;
}

/** A group of series (ours, or the others) combined into one and measured. */
export interface GroupChange extends Omit<SeriesChange, 'subject' | 'labels' | 'ours'> {
  count: number;
}

export interface SignalChangeData {
  signal: string;
  title: string;
  unit: string;
  collected: boolean;
  query: string | null;
  alertStart: string;
  ours: GroupChange;
  others: GroupChange;
  series: SeriesChange[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const label = (labels: Record<string, string>, ...names: string[]) =>
  names.map((name) => labels[name]).find((value) => value !== undefined && value !== '' && value !== 'None');

/** Our series of a dialect back under the names the rest of Holmes uses. */
function normalise(labels: Record<string, string>, names: ReturnType<typeof podLabels>): Record<string, string> {
  if (names.pod === 'pod') return labels;
  const out = { ...labels };
  for (const [plain, exported] of Object.entries(names)) {
    if (labels[exported] !== undefined) out[plain] = labels[exported]!;
    delete out[exported];
  }
  return out;
}

function subjectOf(spec: SignalSpec, labels: Record<string, string>): string {
  const node =
    label(labels, 'node', 'Hostname', 'hostname', 'nodename') ?? label(labels, 'instance')?.replace(/:\d+$/, '');
  switch (spec.subject) {
    case 'pod':
      return label(labels, 'pod') ?? '(no pod)';
    case 'container':
      return `${label(labels, 'pod') ?? '?'}/${label(labels, 'container') ?? '?'}`;
    case 'gpu':
      return `gpu ${label(labels, 'gpu') ?? '?'} on ${node ?? '?'}${labels.pod ? ` (${labels.pod})` : ''}`;
    case 'node':
      return node ?? '(no node)';
    case 'port':
      return `${node ?? '?'} ${label(labels, 'device') ?? ''} port ${label(labels, 'port') ?? '?'}`.replace(
        /\s+/g,
        ' ',
      );
    case 'client':
      // A dialect without gateway keys (vLLM behind the gateway) names the model it serves.
      return (
        [label(labels, 'api_key_alias', 'hashed_api_key'), label(labels, 'end_user')].filter(Boolean).join('/') ||
        label(labels, 'model_name') ||
        '(no key)'
      );
    case 'model':
      return label(labels, 'model_name', 'model', 'requested_model') ?? '(no model)';
    case 'namespace':
      return label(labels, 'namespace') ?? '(no namespace)';
    case 'autoscaler':
      return label(labels, 'horizontalpodautoscaler') ?? '(no autoscaler)';
    case 'version':
      return label(labels, 'replicaset') ?? '(no version)';
    default:
      return 'total';
  }
}

export function combine(series: RangeSeries[], how: SignalSpec['combine']): Point[] {
  const byTime = new Map<number, number[]>();
  for (const entry of series)
    for (const [seconds, value] of entry.values)
      if (Number.isFinite(value)) byTime.set(seconds, [...(byTime.get(seconds) ?? []), value]);
  return [...byTime.entries()]
    .sort(([left], [right]) => left - right)
    .map(([seconds, values]) => {
      const sum = values.reduce((total, value) => total + value, 0);
      const v =
        how === 'sum'
          ? sum
          : how === 'avg'
            ? sum / values.length
            : how === 'min'
              ? Math.min(...values)
              : Math.max(...values);
      return { t: seconds * 1000, v };
    });
}

function measured(change: Change): Omit<GroupChange, 'count'> {
  return {
    before: change.before,
    after: change.after,
    peak: change.peak,
    low: change.low,
    last: change.last,
    ratio: change.before !== null && change.after !== null && change.before > 0 ? change.after / change.before : null,
    onset: iso(change.onsetMs),
  };
}

function describe(spec: SignalSpec, group: GroupChange, who: string): string {
  if (group.count === 0) return `${who}: no series.`;
  const value = (number: number | null) => (number === null ? '—' : formatValue(number, spec.unit));
  const ratio = group.ratio === null ? '' : ` (×${formatValue(group.ratio)})`;
  const onset = group.onset ? ` since ${group.onset.slice(11, 16)}Z` : ' (no clear change)';
  return `${who} (${group.count} series): ${value(group.before)} → ${value(group.after)}${ratio}${onset}; peak ${value(group.peak)}, now ${value(group.last)}.`;
}

/**
 * `signal_change`: a named signal of the alert's entities, measured from where it changed (its
 * onset, searched up to two hours before the alert) against the hour before — ours (the alert's
 * workload, nodes or team) and, when asked, the others beside them.
 */
export const signalChange: BuiltinTool = async (params, context) => {
  const name = String(params.signal);
  const { spec, prometheus, now, profile, variants, collected } = await readSignal(name, params, context);
  const alertStartMs = alertStartOf(params, now);
  const empty: GroupChange = {
    count: 0,
    before: null,
    after: null,
    peak: null,
    low: null,
    last: null,
    ratio: null,
    onset: null,
  };
  const base: SignalChangeData = {
    signal: name,
    title: spec.title,
    unit: spec.unit,
    collected,
    query: null,
    alertStart: new Date(alertStartMs).toISOString(),
    ours: empty,
    others: empty,
    series: [],
  };
  if (collected && variants.length === 0) {
    return {
      status: 'no_data',
      text: `${spec.title}: collected here, but every dialect needs an entity this alert does not name (team, API key, model or nodes).`,
      data: base,
      requests: [],
      raw: [],
    };
  }
  if (variants.length === 0) {
    // Name what is absent, not the helpers (node_uname_info) the preferred dialect joins with.
    const named = queryMetrics(spec.queries[0]!);
    const absent = named.filter((metric) => !profile.metrics.has(metric));
    const wanted = absent.length > 0 ? absent : named;
    // The profile may be minutes old: confirm the absence now, so the answer rests on a request.
    const check = await prometheus.instantQuery(
      `count({__name__=~"${wanted.map((metric) => metric.replace(/[^A-Za-z0-9_:]/g, '')).join('|')}"})`,
      now,
    );
    return {
      status: 'no_data',
      text: `${spec.title}: not collected here (no ${wanted.join(', ')}). ${spec.collect ?? ''}`.trim(),
      data: base,
      missing: { metrics: wanted, fix: spec.collect ?? `Collect ${wanted.join(', ')}.` },
      requests: [check.request],
      raw: [check.raw],
    };
  }
  const scope = scopeOf(params);
  const fromMs = alertStartMs - SEARCH_BEFORE_MS - BASELINE_MS;
  const stepSeconds = Math.max(30, Math.ceil((now.getTime() - fromMs) / MAX_POINTS / 15_000) * 15);
  // The first dialect with series for these entities wins: a cluster can run vLLM and plain HTTP
  // services, or an old and a new exporter, side by side.
  const requests: string[] = [];
  const bodies: string[] = [];
  let query = '';
  let names = podLabels(variants[0]!, profile);
  let raw: RangeSeries[] = [];
  for (const variant of variants) {
    names = podLabels(variant, profile);
    query = renderSignalQuery(variant, params, profile);
    const result = await prometheus.rangeQuery(query, new Date(fromMs), now, stepSeconds);
    requests.push(result.request);
    bodies.push(result.raw);
    raw = result.resultType === 'matrix' ? result.series : [];
    if (raw.length > 0) break;
  }
  const isOurs = scope ? createPodMatcher(scope) : undefined;
  const nodes = new Set(Array.isArray(params.nodes) ? (params.nodes as string[]) : []);
  const series = raw.map((entry) => {
    const labels = normalise(entry.labels, names);
    const node =
      label(labels, 'node', 'Hostname', 'hostname', 'nodename') ?? label(labels, 'instance')?.replace(/:\d+$/, '');
    const ours =
      ['pod', 'container', 'gpu'].includes(spec.subject) && isOurs
        ? isOurs(labels.namespace, labels.pod)
        : ['node', 'port'].includes(spec.subject) && nodes.size > 0
          ? Boolean(node && nodes.has(node))
          : true;
    return { entry: settled({ labels, values: entry.values }), ours };
  });
  const options = { alertStartMs, nowMs: now.getTime(), searchBeforeMs: SEARCH_BEFORE_MS, baselineMs: BASELINE_MS };
  const group = (members: typeof series): GroupChange =>
    members.length === 0
      ? empty
      : {
          count: members.length,
          ...measured(
            analyseChange(
              combine(
                members.map((member) => member.entry),
                spec.combine,
              ),
              options,
            ),
          ),
        };
  const changes: SeriesChange[] = series.map(({ entry, ours }) => ({
    subject: subjectOf(spec, entry.labels),
    labels: entry.labels,
    ours,
    ...measured(
      analyseChange(
        entry.values.map(([seconds, v]) => ({ t: seconds * 1000, v })),
        options,
      ),
    ),
  }));
  const sortBy =
    params.sort === 'change'
      ? (change: SeriesChange) => change.ratio ?? 0
      : (change: SeriesChange) => change.after ?? -Infinity;
  changes.sort((left, right) => sortBy(right) - sortBy(left));
  const topK = typeof params.top_k === 'number' ? params.top_k : 8;
  const data: SignalChangeData = {
    ...base,
    query,
    ours: group(series.filter((member) => member.ours)),
    others: group(series.filter((member) => !member.ours)),
    series: changes.slice(0, topK),
  };
  const lines = [
    `${spec.title} (${spec.unit}), from its onset against the hour before; alert started ${data.alertStart.slice(11, 16)}Z.`,
    describe(spec, data.ours, 'Ours'),
    ...(data.others.count > 0 ? [describe(spec, data.others, 'Others')] : []),
    ...data.series.map(
      (change) =>
        `  ${change.ours ? '*' : ' '} ${change.subject}: ${change.before === null ? '—' : formatValue(change.before, spec.unit)} → ${change.after === null ? '—' : formatValue(change.after, spec.unit)}${change.onset ? ` since ${change.onset.slice(11, 16)}Z` : ''}`,
    ),
  ];
  const graph =
    raw.length > 0
      ? signalGraph({
          spec,
          query,
          labels: raw[0]?.labels,
          startMs: fromMs,
          endMs: now.getTime(),
          stepSeconds,
          alertStartMs,
          onset: data.ours.onset,
        })
      : undefined;
  return {
    status: raw.length === 0 ? 'no_data' : 'success',
    text: raw.length === 0 ? `${spec.title}: no series for this scope.` : lines.join('\n'),
    data,
    requests,
    raw: bodies,
    ...(graph ? { graph } : {}),
    ...(changes.length > topK
      ? { omitted: { what: `${changes.length - topK} more series`, hint: 'Raise top_k to see them.' } }
      : {}),
  };
};
