import { HolmesError } from '../../core/errors.js';
import type { GraphSpec } from '../../core/graph-spec.js';
import type { RangeSeries } from '../../telemetry/prometheus-types.js';
import { analyseChange, type Point } from '../signals/analyse-change.js';
import { createPodMatcher } from '../signals/workload-scope.js';
import { telemetryProfile, type TelemetryProfile } from '../signals/telemetry-profile.js';
import { toolGraph, windowOf, type GraphWindow } from '../signals/tool-graph.js';
import { alertStartOf } from '../diagnostics/kube-reads.js';
import type { BuiltinTool } from '../tool-context.js';
import { dcgmLabels, gpuIdentity, gpuLegend, nameList, onGpus } from './gpu-workloads.js';

const MINUTE = 60_000;
const SEARCH_BEFORE_MS = 120 * MINUTE;
const BASELINE_MS = 60 * MINUTE;
/** The line that turns on the clock-event bitmask (DCGM_FI_DEV_CLOCK_THROTTLE_REASONS before DCGM 3.3). */
export const CLOCK_REASONS_LINE = 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS, gauge, Current clock event reasons.';
/** Temperatures where GPUs start to slow down: ~83 °C for the die on most data-centre GPUs, ~90 °C and up for HBM. */
const HOT_GPU_C = 83;
const HOT_MEMORY_C = 90;
const THERMAL_BITS = 0x20 | 0x40;
const HARD_BITS = 0x8 | 0x80;
const POWER_CAP_BIT = 0x4;
const HARD_EVENTS = new Set(['sw_thermal', 'hw_thermal', 'hw_slowdown', 'hw_power_brake']);
const THERMAL_EVENTS = new Set(['sw_thermal', 'hw_thermal']);
const CAP_EVENTS = new Set(['power_cap', 'sw_power_cap']);

/** One GPU's clocks around the alert. */
export interface GpuClock {
  gpu: string;
  /** The physical GPU (see gpuIdentity): what its graph selects. */
  gpuKey: string;
  node: string;
  ours: boolean;
  busy: boolean | null;
  /** SM clock (MHz): its own highest before the change, and the median since. */
  clockMax: number | null;
  clockAfter: number | null;
  drop: number | null;
  tempBefore: number | null;
  tempAfter: number | null;
  memoryTempAfter: number | null;
  powerAfter: number | null;
  hot: boolean;
  /** Power held at its own peak while the clock fell: the power limit, not the load, sets the clock. */
  atPowerCap: boolean;
  throttled: boolean;
  /** Busy with its clock (and reasons) unchanged: evidence that nothing lowered it. */
  steady: boolean;
  reason: string | null;
  onset: string | null;
}

interface Signals {
  labels: Record<string, string>;
  clock: Point[];
  activity: Point[];
  temp: Point[];
  memoryTemp: Point[];
  power: Point[];
  reasons: Point[];
  events: Map<string, Point[]>;
}

export interface ClockInput {
  clock: RangeSeries[];
  activity: RangeSeries[];
  /** Activity as a ratio (GR_ENGINE_ACTIVE) or percent (GPU_UTIL). */
  activityScale: number;
  temp: RangeSeries[];
  memoryTemp: RangeSeries[];
  power: RangeSeries[];
  reasons: RangeSeries[];
  events: RangeSeries[];
  aliases: Record<string, string>;
  profile: TelemetryProfile;
  isOurs: (namespace: string | undefined, pod: string | undefined) => boolean;
  nodes: string[];
  alertStartMs: number;
  nowMs: number;
}

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const between = (points: Point[], fromMs: number, toMs: number) =>
  points.filter((point) => point.t >= fromMs && point.t < toMs).map((point) => point.v);
const share = (values: number[], test: (value: number) => boolean) =>
  values.length === 0 ? 0 : values.filter(test).length / values.length;

/** Reasons (bitmask or windowed event counts) that are new: on for half the time since, 30 points more than before. */
function newReason(signals: Signals, recentFrom: number, nowMs: number) {
  const after = (points: Point[]) => between(points, recentFrom, nowMs + 1);
  const before = (points: Point[]) => between(points, recentFrom - BASELINE_MS, recentFrom);
  const isNew = (points: Point[], test: (value: number) => boolean) =>
    share(after(points), test) >= 0.5 && share(after(points), test) - share(before(points), test) >= 0.3;
  const bits = (mask: number) => (value: number) => (value & mask) !== 0;
  const events = (names: Set<string>) =>
    [...signals.events].filter(([name]) => names.has(name)).some(([, points]) => isNew(points, (value) => value > 0));
  if (isNew(signals.reasons, bits(THERMAL_BITS)) || events(THERMAL_EVENTS)) return 'thermal slowdown';
  if (isNew(signals.reasons, bits(HARD_BITS)) || events(HARD_EVENTS)) return 'hardware slowdown or power brake';
  if (isNew(signals.reasons, bits(POWER_CAP_BIT)) || events(CAP_EVENTS)) return 'software power cap';
  return null;
}

/**
 * Which GPUs had their SM clock lowered, and why. With clock-event reasons (off by default) the
 * driver says why; without them the SM clock against its own recent maximum while the GPU is busy
 * and hot, or held at its power peak, tells throttling from a GPU that simply idles.
 */
export function findThrottling(input: ClockInput) {
  const gpus = new Map<string, Signals>();
  const attributed = new Set<string>();
  const add = (list: RangeSeries[], pick: (signals: Signals, labels: Record<string, string>) => Point[], scale = 1) => {
    for (const series of list) {
      const labels = dcgmLabels(series.labels, input.aliases, input.profile);
      const key = gpuIdentity(labels).gpuKey;
      const entry = gpus.get(key) ?? {
        labels,
        clock: [],
        activity: [],
        temp: [],
        memoryTemp: [],
        power: [],
        reasons: [],
        events: new Map(),
      };
      if (input.isOurs(labels.namespace, labels.pod)) attributed.add(key);
      pick(entry, labels).push(...series.values.map(([seconds, value]) => ({ t: seconds * 1000, v: value * scale })));
      gpus.set(key, entry);
    }
  };
  add(input.clock, (entry) => entry.clock);
  add(input.activity, (entry) => entry.activity, input.activityScale);
  add(input.temp, (entry) => entry.temp);
  add(input.memoryTemp, (entry) => entry.memoryTemp);
  add(input.power, (entry) => entry.power);
  add(input.reasons, (entry) => entry.reasons);
  add(input.events, (entry, labels) => {
    const name = labels.clock_event ?? '';
    if (!entry.events.has(name)) entry.events.set(name, []);
    return entry.events.get(name)!;
  });
  const nodes = new Set(input.nodes);
  const reasonsCollected = input.reasons.length > 0 || input.events.length > 0;
  const options = {
    alertStartMs: input.alertStartMs,
    nowMs: input.nowMs,
    searchBeforeMs: SEARCH_BEFORE_MS,
    baselineMs: BASELINE_MS,
  };
  const rows: GpuClock[] = [];
  for (const [key, signals] of gpus) {
    const identity = gpuIdentity(signals.labels);
    // Our GPUs are those attributed to our pods; without any attribution, every GPU of our nodes.
    const ours = attributed.size > 0 ? attributed.has(key) : nodes.has(identity.node);
    if (!ours && !nodes.has(identity.node)) continue;
    for (const list of [signals.clock, signals.activity, signals.temp, signals.memoryTemp, signals.power])
      list.sort((a, b) => a.t - b.t);
    const change = analyseChange(signals.clock, options);
    const recentFrom = change.recent.fromMs;
    const since = (points: Point[]) => median(between(points, recentFrom, input.nowMs + 1));
    const before = between(signals.clock, recentFrom - SEARCH_BEFORE_MS, recentFrom);
    const clockMax = before.length > 0 ? Math.max(...before) : null;
    const clockAfter = since(signals.clock);
    const drop = clockMax && clockAfter !== null ? 1 - clockAfter / clockMax : null;
    const activity = since(signals.activity);
    const busy = activity === null ? null : activity >= 0.3;
    const tempAfter = since(signals.temp);
    const memoryTempAfter = since(signals.memoryTemp);
    const powerBefore = between(signals.power, recentFrom - SEARCH_BEFORE_MS, recentFrom);
    const powerAfter = since(signals.power);
    const hot = (tempAfter ?? 0) >= HOT_GPU_C || (memoryTempAfter ?? 0) >= HOT_MEMORY_C;
    const atPowerCap = powerAfter !== null && powerBefore.length > 0 && powerAfter >= 0.95 * Math.max(...powerBefore);
    const lowered = busy === true && drop !== null && drop >= 0.1;
    let reason: string | null = null;
    if (reasonsCollected) {
      reason = newReason(signals, recentFrom, input.nowMs);
      // A power cap comes and goes at full load: it counts only when the clock fell with it.
      if (reason === 'software power cap' && !lowered) reason = null;
    } else if (lowered && (hot || atPowerCap)) {
      reason = hot ? 'thermal slowdown (hot while busy)' : 'power limit (power held at its peak)';
    }
    rows.push({
      gpu: `gpu ${identity.gpu} on ${identity.node}`,
      gpuKey: key,
      node: identity.node,
      ours,
      busy,
      clockMax,
      clockAfter,
      drop,
      tempBefore: median(between(signals.temp, recentFrom - BASELINE_MS, recentFrom)),
      tempAfter,
      memoryTempAfter,
      powerAfter,
      hot,
      atPowerCap,
      throttled: reason !== null,
      steady: reason === null && busy === true && (reasonsCollected || (drop !== null && drop < 0.05)),
      reason,
      onset: change.onsetMs === null ? null : new Date(change.onsetMs).toISOString(),
    });
  }
  const ours = rows.filter((row) => row.ours);
  return {
    source:
      input.reasons.length > 0 ? 'clock-event reasons' : input.events.length > 0 ? 'clock-event counts' : 'SM clock',
    collect: reasonsCollected
      ? null
      : `Clock-event reasons are not collected: add "${CLOCK_REASONS_LINE}" to dcgm-exporter's counters CSV.`,
    ours,
    throttled: ours.filter((row) => row.throttled),
    steady: ours.filter((row) => row.steady),
    others: rows.filter((row) => !row.ours && row.throttled),
  };
}

export interface ClockGraphInput extends GraphWindow {
  findings: ReturnType<typeof findThrottling>;
  profile: TelemetryProfile;
  aliases: Record<string, string>;
}

/**
 * The SM clock of the throttled GPUs (else of all ours) against what lowered it: the hottest
 * one's temperature with the slowdown line, or, when power and not heat held it, the highest power.
 */
export function clockGraph(input: ClockGraphInput): GraphSpec | undefined {
  const { findings, profile, aliases } = input;
  const rows = findings.throttled.length > 0 ? findings.throttled : findings.ours;
  if (rows.length === 0) return undefined;
  const keys = rows.map((row) => row.gpuKey);
  const legend = gpuLegend(aliases);
  const hasTemp = profile.metrics.has('DCGM_FI_DEV_GPU_TEMP');
  const hasPower = profile.metrics.has('DCGM_FI_DEV_POWER_USAGE');
  const heat = hasTemp && (!hasPower || rows.some((row) => row.hot || /thermal/.test(row.reason ?? '')));
  const against = heat ? 'temperature' : hasPower ? 'power' : undefined;
  const onsets = rows.map((row) => Date.parse(row.onset ?? '')).filter(Number.isFinite);
  return toolGraph({
    ...windowOf(input),
    title: `SM clock${against ? ` against ${against}` : ''}: ${rows.length === 1 ? rows[0]!.gpu : `${rows.length} GPUs on ${[...new Set(rows.map((row) => row.node))].join(', ')}`}`,
    unit: 'mhz',
    rightUnit: heat ? 'celsius' : hasPower ? 'watts' : undefined,
    onset: onsets.length > 0 ? Math.min(...onsets) : null,
    threshold: heat ? { value: HOT_GPU_C, label: 'slowdown from', axis: 'right' } : undefined,
    series: [
      {
        query: `max by (${legend.join(', ')}) (${onGpus('DCGM_FI_DEV_SM_CLOCK', keys, aliases)})`,
        legend,
        role: 'victim',
      },
      ...(against
        ? [
            {
              query: `max(${onGpus(heat ? 'DCGM_FI_DEV_GPU_TEMP' : 'DCGM_FI_DEV_POWER_USAGE', keys, aliases)})`,
              legend: heat ? 'hottest GPU' : 'highest power',
              axis: 'right' as const,
              role: 'suspect' as const,
            },
          ]
        : []),
    ],
  });
}

/** `gpu_throttling`: whether the alert's GPUs were slowed by temperature or power, from reasons or, without them, clocks. */
export const gpuThrottling: BuiltinTool = async (params, context) => {
  const prometheus = context.prometheus;
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  const now = context.now();
  const profile = await telemetryProfile(prometheus, now);
  const alertStartMs = alertStartOf(params, now);
  if (!profile.metrics.has('DCGM_FI_DEV_SM_CLOCK')) {
    // Confirm the absence with the source itself, so the answer rests on a request.
    const probe = await prometheus.instantQuery('group(DCGM_FI_DEV_SM_CLOCK)', now);
    return {
      status: 'no_data',
      text: 'SM clocks are not collected here (no DCGM_FI_DEV_SM_CLOCK).',
      data: { source: 'none', collect: null, ours: [], throttled: [], steady: [], others: [] },
      missing: {
        metrics: ['DCGM_FI_DEV_SM_CLOCK'],
        fix: `Add "DCGM_FI_DEV_SM_CLOCK, gauge, SM clock frequency (in MHz)." and "${CLOCK_REASONS_LINE}" to dcgm-exporter's counters CSV.`,
      },
      requests: [probe.request],
      raw: [probe.raw],
    };
  }
  const fromMs = alertStartMs - SEARCH_BEFORE_MS - BASELINE_MS;
  const step = Math.max(30, Math.ceil((now.getTime() - fromMs) / 480 / 15_000) * 15);
  const has = (metric: string) => profile.metrics.has(metric);
  const engine = has('DCGM_FI_PROF_GR_ENGINE_ACTIVE');
  const queries = {
    clock: 'DCGM_FI_DEV_SM_CLOCK',
    activity: engine
      ? 'DCGM_FI_PROF_GR_ENGINE_ACTIVE'
      : has('DCGM_FI_DEV_GPU_UTIL')
        ? 'DCGM_FI_DEV_GPU_UTIL'
        : undefined,
    temp: has('DCGM_FI_DEV_GPU_TEMP') ? 'DCGM_FI_DEV_GPU_TEMP' : undefined,
    memoryTemp: has('DCGM_FI_DEV_MEMORY_TEMP') ? 'DCGM_FI_DEV_MEMORY_TEMP' : undefined,
    power: has('DCGM_FI_DEV_POWER_USAGE') ? 'DCGM_FI_DEV_POWER_USAGE' : undefined,
    reasons: profile.dcgm.clockReasons ?? undefined,
    events: has('DCGM_EXP_CLOCK_EVENTS_COUNT') ? 'DCGM_EXP_CLOCK_EVENTS_COUNT' : undefined,
  };
  const entries = Object.entries(queries);
  const results = await Promise.all(
    entries.map(([, metric]) => (metric ? prometheus.rangeQuery(metric, new Date(fromMs), now, step) : undefined)),
  );
  const series = Object.fromEntries(
    entries.map(([name], index) => {
      const result = results[index];
      return [name, result?.resultType === 'matrix' ? result.series : []];
    }),
  ) as Record<keyof typeof queries, RangeSeries[]>;
  const namespace = typeof params.namespace === 'string' ? params.namespace : '';
  const scope = {
    namespace,
    workload: typeof params.workload === 'string' ? params.workload : undefined,
    pods: nameList(params.pods),
  };
  const findings = findThrottling({
    ...series,
    activityScale: engine ? 1 : 0.01,
    aliases: context.toolset.labelAliases,
    profile,
    isOurs: scope.pods.length > 0 || scope.workload ? createPodMatcher(scope) : () => false,
    nodes: nameList(params.nodes),
    alertStartMs,
    nowMs: now.getTime(),
  });
  const describe = (row: GpuClock) =>
    `  ${row.gpu}: SM clock ${row.clockAfter === null ? '—' : Math.round(row.clockAfter)} MHz against ${row.clockMax === null ? '—' : Math.round(row.clockMax)} MHz before; ${row.busy === null ? 'activity unknown' : row.busy ? 'busy' : 'idle'}; ${row.tempAfter === null ? '' : `${Math.round(row.tempAfter)} °C`}${row.reason ? ` — ${row.reason}` : ''}`;
  const done = results.filter((result) => result !== undefined);
  const graph = clockGraph({
    findings,
    profile,
    aliases: context.toolset.labelAliases,
    startMs: fromMs,
    endMs: now.getTime(),
    stepSeconds: step,
    alertStartMs,
  });
  return {
    status: findings.ours.length === 0 ? 'no_data' : 'success',
    text: [
      `GPU clocks of the alert's GPUs (${findings.source}), since the change against before:`,
      ...findings.ours.map(describe),
      ...(findings.others.length > 0
        ? ['Other GPUs of these nodes that throttled:', ...findings.others.map(describe)]
        : []),
      ...(findings.collect ? [findings.collect] : []),
    ].join('\n'),
    data: findings,
    requests: done.map((result) => result.request),
    raw: done.map((result) => result.raw),
    ...(graph ? { graph } : {}),
  };
};
