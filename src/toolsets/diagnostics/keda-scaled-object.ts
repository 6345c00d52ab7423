import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';
import { changedAtMs, minutesBetween, type Json } from './kube-reads.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
// The label KEDA puts on the HPA it creates (and on the ScaledObject) naming the ScaledObject.
const SCALED_OBJECT_LABEL = 'scaledobject.keda.sh/name';
// Trigger metadata that sets when the scaler acts: `threshold`/`lagThreshold`/`activation…Threshold`
// (prometheus, kafka…), `value` (cpu, memory, rabbitmq), `queueLength` (aws-sqs-queue).
const THRESHOLD_KEY = /threshold|^value$|^queueLength$/i;

/** KEDA's defaults for the fields a ScaledObject may leave out (keda.sh docs, ScaledObject spec). */
const DEFAULTS = { pollingInterval: 30, cooldownPeriod: 300, minReplicaCount: 0, maxReplicaCount: 100 };
// The HPA's own default scale-down stabilization, which KEDA passes through when the ScaledObject sets none.
const HPA_SCALE_DOWN_STABILIZATION = 300;

export interface ScaledObjectSettings {
  name: string;
  minReplicas: number;
  maxReplicas: number;
  idleReplicas: number | null;
  pollingInterval: number;
  cooldownPeriod: number;
  /** `spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds` (HPA default 300). */
  scaleDownStabilization: number;
  scaleUpStabilization: number | null;
  triggers: Array<{ type: string; name: string | null; thresholds: string }>;
  /** What kubectl's last-applied configuration held before the last edit, where it differs: `field old → new`. */
  changes: string[];
  changedMinutesBeforeAlert: number | null;
}

function settingsOf(spec: Json) {
  const behavior = spec.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
  return {
    pollingInterval: Number(spec.pollingInterval ?? DEFAULTS.pollingInterval),
    cooldownPeriod: Number(spec.cooldownPeriod ?? DEFAULTS.cooldownPeriod),
    minReplicaCount: Number(spec.minReplicaCount ?? DEFAULTS.minReplicaCount),
    maxReplicaCount: Number(spec.maxReplicaCount ?? DEFAULTS.maxReplicaCount),
    scaleDownStabilization: Number(behavior.scaleDown?.stabilizationWindowSeconds ?? HPA_SCALE_DOWN_STABILIZATION),
  };
}

/** The ScaledObject that owns an HPA (KEDA's `keda-hpa-<name>`): its controller reference, else KEDA's label. */
export function scaledObjectRef(hpa: KubeObject): { name: string; apiVersion?: string } | null {
  const owner = hpa.metadata.ownerReferences?.find((reference) => reference.kind === 'ScaledObject');
  if (owner) return { name: owner.name, apiVersion: owner.apiVersion };
  const labelled = hpa.metadata.labels?.[SCALED_OBJECT_LABEL];
  return labelled ? { name: labelled } : null;
}

/** The settings a person changes on a ScaledObject, with the values an edit replaced. */
export function scaledObjectSettings(scaledObject: KubeObject, alertStartMs: number): ScaledObjectSettings {
  const spec = (scaledObject.spec ?? {}) as Json;
  const now = settingsOf(spec);
  let changes: string[] = [];
  try {
    const applied = JSON.parse(scaledObject.metadata.annotations?.[LAST_APPLIED] ?? 'null') as Json | null;
    if (applied?.spec) {
      const before = settingsOf(applied.spec as Json);
      changes = (Object.keys(now) as Array<keyof typeof now>)
        .filter((field) => before[field] !== now[field])
        .map((field) => `${field} ${before[field]} → ${now[field]}`);
    }
  } catch {
    changes = [];
  }
  const scaleUp = spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleUp?.stabilizationWindowSeconds;
  return {
    name: scaledObject.metadata.name,
    minReplicas: now.minReplicaCount,
    maxReplicas: now.maxReplicaCount,
    idleReplicas: typeof spec.idleReplicaCount === 'number' ? spec.idleReplicaCount : null,
    pollingInterval: now.pollingInterval,
    cooldownPeriod: now.cooldownPeriod,
    scaleDownStabilization: now.scaleDownStabilization,
    scaleUpStabilization: typeof scaleUp === 'number' ? scaleUp : null,
    triggers: ((spec.triggers ?? []) as Json[]).map((trigger) => ({
      type: String(trigger.type ?? '?'),
      name: trigger.name ? String(trigger.name) : null,
      thresholds: Object.entries((trigger.metadata ?? {}) as Record<string, unknown>)
        .filter(([key]) => THRESHOLD_KEY.test(key))
        .map(([key, value]) => `${key} ${String(value)}`)
        .join(', '),
    })),
    changes,
    // KEDA writes the status every polling interval: only writes of the spec are edits.
    changedMinutesBeforeAlert: minutesBetween(
      changedAtMs({
        ...scaledObject,
        metadata: {
          ...scaledObject.metadata,
          managedFields: ((scaledObject.metadata.managedFields ?? []) as Json[]).filter(
            (entry) => entry.subresource !== 'status',
          ),
        },
      }),
      alertStartMs,
    ),
  };
}

/** The ScaledObject behind an HPA, read at the apiVersion its owner reference names; null when not KEDA's or unreadable. */
export async function readScaledObject(
  kube: KubeClient,
  hpa: KubeObject,
  alertStartMs: number,
): Promise<{ settings: ScaledObjectSettings | null; request: string | null; error: string | null }> {
  const ref = scaledObjectRef(hpa);
  if (!ref) return { settings: null, request: null, error: null };
  try {
    const read = await kube.get(
      'ScaledObject',
      ref.name,
      hpa.metadata.namespace,
      ref.apiVersion ? { apiVersion: ref.apiVersion } : {},
    );
    return {
      settings: read.object ? scaledObjectSettings(read.object, alertStartMs) : null,
      request: read.request,
      error: read.object ? null : `ScaledObject ${ref.name} not found`,
    };
  } catch (error) {
    return { settings: null, request: null, error: `ScaledObject ${ref.name}: ${(error as Error).message}` };
  }
}

/** One line: the ScaledObject's bounds, timing, damping and triggers. */
export function describeScaledObject(settings: ScaledObjectSettings): string {
  const triggers = settings.triggers
    .map((trigger) => `${trigger.type}${trigger.thresholds ? ` (${trigger.thresholds})` : ''}`)
    .join('; ');
  return `ScaledObject ${settings.name}: replicas ${settings.minReplicas}–${settings.maxReplicas}, pollingInterval ${settings.pollingInterval} s, cooldownPeriod ${settings.cooldownPeriod} s, scale-down stabilization ${settings.scaleDownStabilization} s; triggers ${triggers || 'none'}${settings.changes.length > 0 ? `; the last edit changed ${settings.changes.join(', ')}` : ''}.`;
}
