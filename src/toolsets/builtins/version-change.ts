import { alertStartOf } from '../diagnostics/kube-reads.js';
import { HolmesError } from '../../core/errors.js';
import type { RangeSeries } from '../../telemetry/prometheus-types.js';
import { formatValue } from '../format-value.js';
import { renderPromql } from '../render-promql.js';
import { queryMetrics } from '../signals/query-metrics.js';
import { signalGraph } from '../signals/signal-graph.js';
import type { BuiltinTool } from '../tool-context.js';
import { podLabels, readSignal, scopeOf, scopeSelector, templateView } from '../signals/signal-query.js';
import { settled } from './signal-change.js';

const MINUTE = 60_000;
/** How far back versions are looked for: a rollout up to two hours before the alert, and the hour before it. */
const LOOKBACK_MS = 180 * MINUTE;
/** How a new version served at first: its first quarter hour, before anything else could change. */
const EARLY_MS = 15 * MINUTE;
/** A version that reported in the last minutes is running now. */
const CURRENT_MS = 5 * MINUTE;
const MAX_POINTS = 480;

/** One version (ReplicaSet) of the workload, as its series shows it. */
export interface VersionSeries {
  version: string;
  firstSeen: string;
  lastSeen: string;
  current: boolean;
  median: number | null;
}

export interface VersionChangeData {
  signal: string;
  title: string;
  unit: string;
  query: string | null;
  versions: VersionSeries[];
  /** The newest version running now: how it served in its first minutes, overall, at its best and lately. */
  new: {
    version: string;
    since: string;
    minutesBeforeAlert: number;
    early: number | null;
    after: number | null;
    best: number | null;
    last: number | null;
  } | null;
  /** The versions it replaced, over the hour before it appeared. */
  old: { version: string; before: number | null } | null;
  /** new.early ÷ old.before: how much worse the new version was from the start. */
  ratio: number | null;
  /** new.last ÷ new.early: whether it degraded later, after serving as it first did. */
  laterRatio: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const divide = (top: number | null, bottom: number | null) =>
  top !== null && bottom !== null && bottom > 0 ? top / bottom : null;

interface Timeline {
  version: string;
  /** When its first sample came (its first minutes are left out of points: rate() windows not yet full). */
  startMs: number;
  points: Array<{ t: number; v: number }>;
}

/** Groups series by their `replicaset` label (the signal derives it from pod names); others are left out. */
function timelines(series: RangeSeries[]): Timeline[] {
  const byVersion = new Map<string, Timeline>();
  for (const entry of series) {
    const version = entry.labels.replicaset;
    const first = entry.values[0]?.[0];
    if (!version || first === undefined) continue;
    const points = settled(entry)
      .values.filter(([, value]) => Number.isFinite(value))
      .map(([seconds, v]) => ({ t: seconds * 1000, v }));
    const line = byVersion.get(version) ?? { version, startMs: first * 1000, points: [] };
    line.startMs = Math.min(line.startMs, first * 1000);
    line.points.push(...points);
    byVersion.set(version, line);
  }
  return [...byVersion.values()]
    .filter((line) => line.points.length > 0)
    .map((line) => ({ ...line, points: line.points.sort((left, right) => left.t - right.t) }));
}

/**
 * Compares the newest running version of a workload with the versions it replaced, from series
 * grouped by ReplicaSet: the new one in its first minutes against the old ones in the hour before
 * it appeared. A version worse from its start is the change's fault; one that served as well at
 * first and degraded later points at something that changed after the rollout.
 */
export function compareVersions(series: RangeSeries[], alertStartMs: number, nowMs: number) {
  const lines = timelines(series);
  const versions: VersionSeries[] = lines.map((line) => ({
    version: line.version,
    firstSeen: new Date(line.startMs).toISOString(),
    lastSeen: new Date(line.points.at(-1)!.t).toISOString(),
    current: line.points.at(-1)!.t >= nowMs - CURRENT_MS,
    median: median(line.points.map((point) => point.v)),
  }));
  const running = lines.filter((line) => line.points.at(-1)!.t >= nowMs - CURRENT_MS);
  const newest = running.sort((left, right) => right.startMs - left.startMs)[0];
  const since = newest?.startMs;
  const older = newest ? lines.filter((line) => line.startMs < since!) : [];
  if (!newest || older.length === 0) return { versions, new: null, old: null, ratio: null, laterRatio: null };
  const values = newest.points.map((point) => point.v);
  const early = median(
    newest.points.filter((point) => point.t < newest.points[0]!.t + EARLY_MS).map((point) => point.v),
  );
  const last = median(newest.points.filter((point) => point.t >= nowMs - CURRENT_MS).map((point) => point.v));
  // The old versions in the hour before the new one appeared (or their last hour, if they stopped earlier).
  const oldPoints = older.flatMap((line) => {
    const before = line.points.filter((point) => point.t < since! && point.t >= since! - 60 * MINUTE);
    const end = line.points.at(-1)!.t;
    return before.length > 0 ? before : line.points.filter((point) => point.t >= end - 60 * MINUTE);
  });
  const before = median(oldPoints.map((point) => point.v));
  return {
    versions,
    new: {
      version: newest.version,
      since: new Date(since!).toISOString(),
      minutesBeforeAlert: Math.round((alertStartMs - since!) / MINUTE),
      early,
      after: median(values),
      best: Math.min(...values),
      last,
    },
    old: { version: older.map((line) => line.version).join(', '), before },
    ratio: divide(early, before),
    laterRatio: divide(last, early),
  };
}

/**
 * `version_change`: a signal of the alert's workload per version (ReplicaSet), the newest running
 * version against the ones it replaced — the by-version comparison of a rollout, with the metric
 * names this cluster's exporters use.
 */
export const versionChange: BuiltinTool = async (params, context) => {
  const name = String(params.signal);
  const { spec, prometheus, now, profile, variants } = await readSignal(name, params, context);
  if (spec.subject !== 'version') {
    const versioned = [...context.signals].filter(([, signal]) => signal.subject === 'version').map(([key]) => key);
    throw new HolmesError('TOOL_PARAMS_INVALID', `Signal '${name}' is not measured per version.`, {
      fix: `Use one of: ${versioned.sort().join(', ')} (or signal_change for '${name}').`,
    });
  }
  const alertStartMs = alertStartOf(params, now);
  const base = { signal: name, title: spec.title, unit: spec.unit, query: null };
  const empty: VersionChangeData = { ...base, versions: [], new: null, old: null, ratio: null, laterRatio: null };
  if (variants.length === 0) {
    const fix = spec.collect ?? 'Scrape the workload’s request metrics (HTTP or vLLM histograms).';
    return {
      status: 'no_data',
      text: `${spec.title}: not collected here. ${fix}`,
      data: empty,
      missing: { metrics: queryMetrics(spec.queries[0]!), fix },
      requests: [],
      raw: [],
    };
  }
  const scope = scopeOf(params);
  const fromMs = Math.min(alertStartMs, now.getTime()) - LOOKBACK_MS;
  const stepSeconds = Math.max(30, Math.ceil((now.getTime() - fromMs) / MAX_POINTS / 15_000) * 15);
  const requests: string[] = [];
  const bodies: string[] = [];
  let query = '';
  let raw: RangeSeries[] = [];
  for (const variant of variants) {
    const names = podLabels(variant, profile);
    query = renderPromql(variant, {
      ...templateView(params, scope, names),
      scope: scopeSelector(params, scope, names),
    });
    const result = await prometheus.rangeQuery(query, new Date(fromMs), now, stepSeconds);
    requests.push(result.request);
    bodies.push(result.raw);
    raw = result.resultType === 'matrix' ? result.series : [];
    if (raw.some((entry) => entry.labels.replicaset)) break;
  }
  const data: VersionChangeData = { ...base, query, ...compareVersions(raw, alertStartMs, now.getTime()) };
  const value = (number: number | null | undefined) =>
    number === null || number === undefined ? '—' : formatValue(number, spec.unit);
  const text =
    data.versions.length === 0
      ? `${spec.title}: no series per version for this workload.`
      : data.new && data.old
        ? `${spec.title} by version: new ${data.new.version} (since ${data.new.since.slice(11, 16)}Z) ${value(data.new.early)} in its first minutes, ${value(data.new.last)} now; old ${data.old.version} ${value(data.old.before)} before it.`
        : `${spec.title}: only one version in the last ${LOOKBACK_MS / 60 / MINUTE} h (${data.versions.map((item) => item.version).join(', ')}).`;
  // Each version's line, the new one's start marked as the onset.
  const graph =
    data.versions.length > 0
      ? signalGraph({
          spec,
          query,
          labels: raw.find((entry) => entry.labels.replicaset)?.labels,
          startMs: fromMs,
          endMs: now.getTime(),
          stepSeconds,
          alertStartMs,
          onset: data.new?.since ?? null,
        })
      : undefined;
  return {
    status: data.versions.length === 0 ? 'no_data' : 'success',
    text,
    data,
    requests,
    raw: bodies,
    ...(graph ? { graph } : {}),
  };
};
