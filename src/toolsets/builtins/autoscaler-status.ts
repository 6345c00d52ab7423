import type { KubeObject } from '../../core/kube-object.js';
import {
  alertStartOf,
  changedAtMs,
  eventsAbout,
  listOrEmpty,
  minutesBetween,
  requireKube,
  textParam,
  type Json,
} from '../diagnostics/kube-reads.js';
import { parseQuantity } from '../diagnostics/kube-quantity.js';
import { describeScaledObject, readScaledObject } from '../diagnostics/keda-scaled-object.js';
import type { BuiltinTool } from '../tool-context.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function condition(hpa: KubeObject, type: string) {
  const found = (((hpa.status as Json | undefined)?.conditions ?? []) as Json[]).find((entry) => entry.type === type);
  return found
    ? {
        status: String(found.status),
        reason: String(found.reason ?? ''),
        message: String(found.message ?? '').slice(0, 300),
      }
    : null;
}

/** Each metric of the HPA with its target and current value, as `kubectl describe hpa` lists them. */
function metrics(hpa: KubeObject) {
  const spec = (hpa.spec ?? {}) as Json;
  const current = ((hpa.status as Json | undefined)?.currentMetrics ?? []) as Json[];
  return ((spec.metrics ?? []) as Json[]).map((metric, index) => {
    const body = (metric[String(metric.type ?? '').replace(/^./, (first: string) => first.toLowerCase())] ??
      {}) as Json;
    const name = String(body.metric?.name ?? body.name ?? metric.type);
    const target = body.target ?? {};
    const targetValue = target.averageUtilization ?? target.averageValue ?? target.value ?? null;
    const now = current[index] ?? {};
    const nowBody = (now[String(now.type ?? '').replace(/^./, (first: string) => first.toLowerCase())] ?? {}) as Json;
    const currentValue =
      nowBody.current?.averageUtilization ?? nowBody.current?.averageValue ?? nowBody.current?.value ?? null;
    const ratio =
      parseQuantity(currentValue) !== null && (parseQuantity(targetValue) ?? 0) > 0
        ? parseQuantity(currentValue)! / parseQuantity(targetValue)!
        : null;
    return {
      type: String(metric.type),
      name,
      target: targetValue === null ? null : String(targetValue),
      current: currentValue === null ? null : String(currentValue),
      ratio,
    };
  });
}

/**
 * `autoscaler_status`: the HorizontalPodAutoscaler of the workload as the controller sees it. Its
 * conditions (ScalingActive false when it cannot read its metric, ScalingLimited at a bound),
 * minimum and maximum (equal: pinned), current and desired replicas, each metric's target against
 * its current value, the FailedGet*Metric events, and the bounds before the last edit when
 * kubectl's last-applied configuration still holds them. For an HPA KEDA created, the ScaledObject
 * that owns it: triggers and thresholds, polling, cooldown, stabilization, bounds and its last edit.
 */
export const autoscalerStatus: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const startMs = alertStartOf(params, now);
  const namespace = textParam(params, 'namespace');
  const workload = textParam(params, 'workload');
  const name = textParam(params, 'hpa');
  // Without a namespace, every namespace's HPAs: the workload's name picks its own.
  const list = await listOrEmpty(kube, 'HorizontalPodAutoscaler', namespace ? { namespace } : {});
  const hpa = list.items.find(
    (item) =>
      item.metadata.name === name || (!name && (item.spec as Json | undefined)?.scaleTargetRef?.name === workload),
  );
  const requests = list.request ? [list.request] : [];
  if (!hpa)
    return {
      status: 'no_data',
      text: `No HorizontalPodAutoscaler targets ${workload ?? name ?? 'the workload'}${namespace ? ` in ${namespace}` : ''}.`,
      data: {
        hpa: null,
        found: false,
        min: null,
        max: null,
        current: null,
        desired: null,
        pinned: false,
        scalingActive: null,
        scalingLimited: null,
        ableToScale: null,
        metrics: [],
        metricErrors: [],
        previous: null,
        changedMinutesBeforeAlert: null,
        scaledObject: null,
      },
      requests,
      raw: [],
    };
  const spec = (hpa.spec ?? {}) as Json;
  const status = (hpa.status ?? {}) as Json;
  const { events, request } = await eventsAbout(
    kube,
    hpa.metadata.namespace,
    (involved) => involved.kind === 'HorizontalPodAutoscaler' && involved.name === hpa.metadata.name,
  );
  requests.push(request);
  // KEDA's keda-hpa-<name>: the real settings live in the ScaledObject that owns it.
  const keda = await readScaledObject(kube, hpa, startMs);
  if (keda.request) requests.push(keda.request);
  let previous: { min: number | null; max: number | null } | null = null;
  try {
    const applied = JSON.parse(hpa.metadata.annotations?.[LAST_APPLIED] ?? 'null') as Json | null;
    if (applied?.spec) previous = { min: applied.spec.minReplicas ?? 1, max: applied.spec.maxReplicas ?? null };
  } catch {
    previous = null;
  }
  const min = Number(spec.minReplicas ?? 1);
  const max = Number(spec.maxReplicas);
  const data = {
    hpa: hpa.metadata.name,
    found: true,
    min,
    max,
    current: Number(status.currentReplicas ?? 0),
    desired: Number(status.desiredReplicas ?? 0),
    pinned: min === max,
    scalingActive: condition(hpa, 'ScalingActive'),
    scalingLimited: condition(hpa, 'ScalingLimited'),
    ableToScale: condition(hpa, 'AbleToScale'),
    metrics: metrics(hpa),
    metricErrors: [
      ...new Set(
        events
          .filter((event) => event.type === 'Warning' && /^Failed(Get|Compute)/.test(String(event.reason)))
          .map((event) => `${event.reason}: ${String(event.message).slice(0, 240)}`),
      ),
    ].slice(0, 5),
    previous: previous && (previous.min !== min || previous.max !== max) ? previous : null,
    changedMinutesBeforeAlert: minutesBetween(changedAtMs(hpa), startMs),
    scaledObject: keda.settings,
  };
  const lines = [
    `HPA ${hpa.metadata.namespace}/${hpa.metadata.name} → ${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}: replicas ${data.current} (desired ${data.desired}), min ${min}, max ${max}${data.pinned ? ' — pinned (min = max)' : ''}${data.previous ? `; before the last edit min ${data.previous.min}, max ${data.previous.max}` : ''}.`,
    ...['scalingActive', 'ableToScale', 'scalingLimited'].map((key) => {
      const entry = data[key as 'scalingActive'];
      return entry ? `  ${key}: ${entry.status} ${entry.reason} — ${entry.message}` : `  ${key}: not reported`;
    }),
    ...data.metrics.map(
      (metric) =>
        `  metric ${metric.type} ${metric.name}: target ${metric.target ?? '?'}, current ${metric.current ?? 'unknown'}`,
    ),
    ...data.metricErrors.map((error) => `  ${error}`),
    ...(keda.settings ? [`  owned by ${describeScaledObject(keda.settings)}`] : []),
    ...(keda.error ? [`  owned by a KEDA ${keda.error} (not readable)`] : []),
  ];
  return { status: 'success', text: lines.join('\n'), data, requests, raw: [] };
};
