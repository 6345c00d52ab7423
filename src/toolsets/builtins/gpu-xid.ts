import { alertStartOf } from '../diagnostics/kube-reads.js';
import { HolmesError } from '../../core/errors.js';
import type { GraphSpec } from '../../core/graph-spec.js';
import type { RangeSeries } from '../../telemetry/prometheus-types.js';
import { createPodMatcher, type WorkloadScope } from '../signals/workload-scope.js';
import { telemetryProfile, type TelemetryProfile } from '../signals/telemetry-profile.js';
import { toolGraph, windowOf, type GraphWindow } from '../signals/tool-graph.js';
import type { BuiltinTool } from '../tool-context.js';
import {
  attributionsOf,
  dcgmLabels,
  gpuIdentity,
  type GpuAttribution,
  nameList,
  gpuLegend,
  onGpus,
} from './gpu-workloads.js';

/** One XID a GPU reported, first seen at `atMs`. */
export interface XidEvent {
  gpu: string;
  node: string;
  /** The GPU's index on its node (dcgm-exporter's `gpu` label), for nvidia-smi -i. */
  index: string;
  gpuKey: string;
  xid: number;
  name: string;
  /** 45 (clean-up after another error) and 63 (row remapping recorded) say nothing on their own. */
  serious: boolean;
  at: string;
  minutesBeforeAlert: number;
}

export interface XidFindings {
  /** How this exporter reports XIDs: a series per code (≥ 3.3.6), the last value only, or a windowed count. */
  dialect: 'per-code' | 'value-only' | 'count' | 'none';
  ours: XidEvent[];
  others: XidEvent[];
  /** XIDs our GPUs held before the look-back began: the gauge keeps the last XID until the driver reloads. */
  sticky: XidEvent[];
  ourGpus: string[];
}

const MINUTE = 60_000;
const SEARCH_BEFORE_MS = 120 * MINUTE;
const BASELINE_MS = 60 * MINUTE;
const INFORMATIONAL = new Set([0, 45, 63]);

export interface XidInput {
  xidSeries: RangeSeries[];
  /** DCGM_EXP_XID_ERRORS_COUNT (label `xid`): XIDs within a sliding window, a gauge. */
  countSeries: RangeSeries[];
  attributions: GpuAttribution[];
  aliases: Record<string, string>;
  profile: TelemetryProfile;
  isOurs: (namespace: string | undefined, pod: string | undefined) => boolean;
  nodes: string[];
  decode: (xid: number) => string;
  fromMs: number;
  alertStartMs: number;
  stepMs: number;
}

/**
 * New XIDs per GPU, in both dialects of DCGM_FI_DEV_XID_ERRORS: since exporter 3.3.6 each XID
 * value is its own series (labels err_code/err_msg), born when that XID first occurs, so a birth
 * is the event (`changes()` on one series never fires); before, one series per GPU holds the last
 * XID, so a change of its value is. A GPU is ours when the XID series or the exporter's
 * attribution names our pod on it, or when it sits on our node and names no other workload (a GPU
 * that fell off the bus loses its attribution).
 */
export function findXids(input: XidInput): XidFindings {
  const { fromMs, alertStartMs } = input;
  const searchFromMs = alertStartMs - SEARCH_BEFORE_MS;
  const ourKeys = new Set(
    input.attributions.filter((row) => input.isOurs(row.namespace, row.pod)).map((row) => row.gpuKey),
  );
  const othersKeys = new Set(
    input.attributions.filter((row) => !input.isOurs(row.namespace, row.pod)).map((row) => row.gpuKey),
  );
  const nodes = new Set(input.nodes);
  const events: Array<XidEvent & { ours: boolean; sticky: boolean }> = [];
  const event = (labels: Record<string, string>, xid: number, atMs: number, sticky: boolean) => {
    const identity = gpuIdentity(labels);
    const ours =
      input.isOurs(labels.namespace, labels.pod) ||
      ourKeys.has(identity.gpuKey) ||
      (!labels.pod && nodes.has(identity.node) && !othersKeys.has(identity.gpuKey));
    events.push({
      gpu: `gpu ${identity.gpu} on ${identity.node}`,
      node: identity.node,
      index: identity.gpu,
      gpuKey: identity.gpuKey,
      xid,
      name: input.decode(xid),
      serious: !INFORMATIONAL.has(xid),
      at: new Date(atMs).toISOString(),
      minutesBeforeAlert: Math.round((alertStartMs - atMs) / MINUTE),
      ours,
      sticky,
    });
  };
  const perCode = input.xidSeries.some((series) => series.labels.err_code !== undefined);
  for (const series of input.xidSeries) {
    const labels = dcgmLabels(series.labels, input.aliases, input.profile);
    const values = series.values.filter(([, value]) => Number.isFinite(value));
    if (values.length === 0) continue;
    if (perCode) {
      const xid = Number(labels.err_code ?? values[0]![1]);
      if (!(xid > 0)) continue;
      const bornMs = values[0]![0] * 1000;
      // A series there from the first step of the range was born before it: an old, sticky XID.
      const sticky = bornMs <= fromMs + 2 * input.stepMs;
      if (sticky || bornMs >= searchFromMs) event(labels, xid, bornMs, sticky);
      continue;
    }
    let previous = values[0]![1];
    if (previous > 0) event(labels, previous, values[0]![0] * 1000, true);
    for (const [seconds, value] of values.slice(1)) {
      if (value !== previous && value > 0 && seconds * 1000 >= searchFromMs)
        event(labels, value, seconds * 1000, false);
      previous = value;
    }
  }
  for (const series of input.countSeries) {
    const labels = dcgmLabels(series.labels, input.aliases, input.profile);
    const first = series.values.find(([seconds, value]) => value > 0 && seconds * 1000 >= searchFromMs);
    const xid = Number(labels.xid);
    if (first && xid > 0) event(labels, xid, first[0] * 1000, false);
  }
  // One line per GPU and XID: the first time it was seen.
  const unique = [
    ...new Map(
      events
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((item) => [`${item.gpuKey}|${item.xid}|${item.sticky}`, item]),
    ).values(),
  ];
  const strip = ({ ours: _ours, sticky: _sticky, ...rest }: (typeof events)[number]): XidEvent => rest;
  return {
    dialect: perCode
      ? 'per-code'
      : input.xidSeries.length > 0
        ? 'value-only'
        : input.countSeries.length > 0
          ? 'count'
          : 'none',
    ours: unique.filter((item) => item.ours && !item.sticky).map(strip),
    others: unique.filter((item) => !item.ours && !item.sticky).map(strip),
    sticky: unique.filter((item) => item.ours && item.sticky).map(strip),
    ourGpus: [
      ...new Set(
        input.attributions
          .filter((row) => input.isOurs(row.namespace, row.pod))
          .map((row) => `gpu ${row.gpu} on ${row.node}`),
      ),
    ],
  };
}

export interface XidGraphInput extends GraphWindow {
  findings: XidFindings;
  /** The XID metric read: the last XID's value, or the exporter's windowed count. */
  metric: 'DCGM_FI_DEV_XID_ERRORS' | 'DCGM_EXP_XID_ERRORS_COUNT';
  profile: TelemetryProfile;
  aliases: Record<string, string>;
}

/** The XIDs of our GPUs that reported new ones, against their utilisation, from the first new XID on. */
export function xidGraph(input: XidGraphInput): GraphSpec | undefined {
  const { findings, aliases } = input;
  const events = findings.ours.some((item) => item.serious)
    ? findings.ours.filter((item) => item.serious)
    : findings.ours;
  if (events.length === 0) return undefined;
  const keys = [...new Set(events.map((item) => item.gpuKey))];
  const gpus = [...new Set(events.map((item) => item.gpu))];
  const by = `max by (${gpuLegend(aliases).join(', ')})`;
  const lastXid = input.metric === 'DCGM_FI_DEV_XID_ERRORS';
  const util = input.profile.metrics.has('DCGM_FI_DEV_GPU_UTIL');
  return toolGraph({
    ...windowOf(input),
    title: `${lastXid ? 'Last XID' : 'XIDs in the window'}${util ? ' against GPU utilisation' : ''}: ${gpus.join(', ')}`,
    unit: 'count',
    rightUnit: util ? 'percent' : undefined,
    onset: Math.min(...events.map((item) => Date.parse(item.at))),
    series: [
      {
        query: `${by} (${onGpus(input.metric, keys, aliases)})`,
        legend: lastXid ? 'last XID' : 'XIDs',
        role: 'suspect',
      },
      ...(util
        ? [
            {
              query: `${by} (${onGpus('DCGM_FI_DEV_GPU_UTIL', keys, aliases)})`,
              legend: 'GPU utilisation',
              axis: 'right' as const,
              role: 'victim' as const,
            },
          ]
        : []),
    ],
  });
}

/** `gpu_xid`: XIDs the alert's GPUs reported from two hours before the alert on, split into ours and others. */
export const gpuXid: BuiltinTool = async (params, context) => {
  const prometheus = context.prometheus;
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  const now = context.now();
  const profile = await telemetryProfile(prometheus, now);
  const alertStartMs = alertStartOf(params, now);
  const fromMs = alertStartMs - SEARCH_BEFORE_MS - BASELINE_MS;
  const hasXid = profile.metrics.has('DCGM_FI_DEV_XID_ERRORS');
  const hasCount = profile.metrics.has('DCGM_EXP_XID_ERRORS_COUNT');
  if (!hasXid && !hasCount) {
    // Confirm the absence with the source itself, so the answer rests on a request.
    const probe = await prometheus.instantQuery('group(DCGM_FI_DEV_XID_ERRORS)', now);
    return {
      status: 'no_data',
      text: 'XID errors are not collected here (no DCGM_FI_DEV_XID_ERRORS).',
      data: { dialect: 'none', ours: [], others: [], sticky: [], ourGpus: [] },
      missing: {
        metrics: ['DCGM_FI_DEV_XID_ERRORS'],
        fix: 'Add "DCGM_FI_DEV_XID_ERRORS, gauge, Value of the last XID error encountered." to dcgm-exporter\'s counters CSV (on by default).',
      },
      requests: [probe.request],
      raw: [probe.raw],
    };
  }
  const stepSeconds = Math.max(30, Math.ceil((now.getTime() - fromMs) / 480 / 15_000) * 15);
  const range = (query: string) => prometheus.rangeQuery(query, new Date(fromMs), now, stepSeconds);
  const attributionMetric = ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_GPU_UTIL'].find((name) => profile.metrics.has(name));
  const [xid, count, attribution] = await Promise.all([
    hasXid ? range('DCGM_FI_DEV_XID_ERRORS') : undefined,
    hasCount ? range('DCGM_EXP_XID_ERRORS_COUNT') : undefined,
    attributionMetric ? range(attributionMetric) : undefined,
  ]);
  const matrix = (result: typeof xid) => (result?.resultType === 'matrix' ? result.series : []);
  const namespace = typeof params.namespace === 'string' ? params.namespace : '';
  const scope: WorkloadScope = {
    namespace,
    workload: typeof params.workload === 'string' ? params.workload : undefined,
    pods: nameList(params.pods),
  };
  const isOurs = scope.pods.length > 0 || scope.workload ? createPodMatcher(scope) : () => false;
  const decoder = context.toolset.decoders?.xid;
  const decode = (code: number) =>
    decoder?.type === 'map'
      ? (decoder.values[String(code)] ?? (decoder.unknown ?? `XID ${code}`).replace('{value}', String(code)))
      : `XID ${code}`;
  const findings = findXids({
    xidSeries: matrix(xid),
    countSeries: matrix(count),
    attributions: attributionsOf(matrix(attribution), context.toolset.labelAliases, profile),
    aliases: context.toolset.labelAliases,
    profile,
    isOurs,
    nodes: nameList(params.nodes),
    decode,
    fromMs,
    alertStartMs,
    stepMs: stepSeconds * 1000,
  });
  const line = (item: XidEvent) =>
    `  XID ${item.xid} (${item.name}) on ${item.gpu}, first seen ${item.minutesBeforeAlert} min before the alert`;
  const results = [xid, count, attribution].filter((result) => result !== undefined);
  const graph = xidGraph({
    findings,
    metric: hasXid ? 'DCGM_FI_DEV_XID_ERRORS' : 'DCGM_EXP_XID_ERRORS_COUNT',
    profile,
    aliases: context.toolset.labelAliases,
    startMs: fromMs,
    endMs: now.getTime(),
    stepSeconds,
    alertStartMs,
  });
  return {
    status: 'success',
    text: [
      `XIDs from ${SEARCH_BEFORE_MS / MINUTE} min before the alert (${findings.dialect} dialect).`,
      `Ours (${findings.ourGpus.join(', ') || 'GPUs of our nodes'}): ${findings.ours.length === 0 ? 'none new' : ''}`,
      ...findings.ours.map(line),
      ...(findings.sticky.length > 0 ? ['Held from before (sticky, not new):', ...findings.sticky.map(line)] : []),
      ...(findings.others.length > 0 ? ["Other workloads' GPUs:", ...findings.others.map(line)] : []),
    ].join('\n'),
    data: findings,
    requests: results.map((result) => result.request),
    raw: results.map((result) => result.raw),
    ...(graph ? { graph } : {}),
  };
};
