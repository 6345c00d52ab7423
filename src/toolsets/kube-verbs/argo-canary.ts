import type { KubeObject } from '../../core/kube-object.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The label Argo Rollouts puts on each ReplicaSet and pod: the pod template's hash. */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';

// AnalysisRun phases that stopped or are about to stop a rollout (Argo's AnalysisPhase).
const FAILING_PHASES = new Set(['Failed', 'Error', 'Inconclusive']);

export interface ArgoCanary {
  rollout: string;
  phase: string | null;
  message: string | null;
  /** The ReplicaSet that serves the stable version (`status.stableRS` is its template hash). */
  stableReplicaSet: string | null;
  /** The ReplicaSet of the version being rolled out (`status.currentPodHash`). */
  canaryReplicaSet: string | null;
  /** A canary differs from stable: the rollout is between the two versions. */
  inProgress: boolean;
  /** `status.currentStepIndex` (0-based) of `steps` canary steps. */
  step: number | null;
  steps: number;
  /** Share of traffic (or of replicas, without a traffic router) the canary has at this step, in %. */
  weight: number | null;
  pausedBy: string[];
  pausedMinutesBeforeAlert: number | null;
  analysis: Array<{ run: 'background' | 'step'; name: string; status: string; message: string | null }>;
  analysisFailing: boolean;
  /** `status.abort`: traffic went back to stable. */
  aborted: boolean;
  abortedMinutesBeforeAlert: number | null;
}

const minutesBefore = (time: unknown, alertStartMs: number): number | null => {
  const parsed = Date.parse(String(time ?? ''));
  return Number.isFinite(parsed) ? Math.round((alertStartMs - parsed) / 60_000) : null;
};

/** The weight the canary reached: the last `setWeight` among the steps done (all 100 when promoted). */
function weightAt(steps: Json[], step: number | null, status: Json): number | null {
  const routed = status.canary?.weights?.canary?.weight;
  if (typeof routed === 'number') return routed;
  if (step === null) return null;
  if (step >= steps.length) return 100;
  const reached = steps
    .slice(0, step)
    .map((entry) => entry.setWeight)
    .filter((weight): weight is number => typeof weight === 'number');
  return reached.at(-1) ?? 0;
}

/**
 * An Argo Rollout's canary against its stable version, from the Rollout's status and its
 * ReplicaSets: which ReplicaSet is which, the step and weight reached, why it is paused and how
 * its analysis runs. Null for a Rollout without a canary strategy.
 */
export function argoCanary(
  rollout: KubeObject,
  replicaSets: readonly KubeObject[],
  alertStartMs: number,
): ArgoCanary | null {
  const spec = (rollout.spec ?? {}) as Json;
  const status = (rollout.status ?? {}) as Json;
  if (!spec.strategy?.canary) return null;
  const byHash = (hash: unknown) =>
    typeof hash === 'string' && hash !== ''
      ? (replicaSets.find((replicaSet) => replicaSet.metadata.labels?.[ROLLOUT_HASH_LABEL] === hash)?.metadata.name ??
        `${rollout.metadata.name}-${hash}`)
      : null;
  const steps = (spec.strategy.canary.steps ?? []) as Json[];
  const step = typeof status.currentStepIndex === 'number' ? status.currentStepIndex : null;
  const pauses = (status.pauseConditions ?? []) as Json[];
  const analysis = (['background', 'step'] as const).flatMap((run) => {
    const entry =
      status.canary?.[run === 'background' ? 'currentBackgroundAnalysisRunStatus' : 'currentStepAnalysisRunStatus'];
    return entry?.name
      ? [
          {
            run,
            name: String(entry.name),
            status: String(entry.status ?? ''),
            message: entry.message ? String(entry.message).slice(0, 240) : null,
          },
        ]
      : [];
  });
  const stableReplicaSet = byHash(status.stableRS);
  const canaryReplicaSet = byHash(status.currentPodHash);
  return {
    rollout: rollout.metadata.name,
    phase: status.phase ? String(status.phase) : null,
    message: status.message ? String(status.message).slice(0, 240) : null,
    stableReplicaSet,
    canaryReplicaSet,
    inProgress: canaryReplicaSet !== null && stableReplicaSet !== null && canaryReplicaSet !== stableReplicaSet,
    step,
    steps: steps.length,
    weight: weightAt(steps, step, status),
    pausedBy: pauses.map((pause) => String(pause.reason ?? '')).filter(Boolean),
    pausedMinutesBeforeAlert: pauses.length > 0 ? minutesBefore(pauses[0]!.startTime, alertStartMs) : null,
    analysis,
    analysisFailing: analysis.some((entry) => FAILING_PHASES.has(entry.status)),
    aborted: status.abort === true,
    abortedMinutesBeforeAlert: minutesBefore(status.abortedAt, alertStartMs),
  };
}

/** One line for a person: canary against stable, step, weight, pause and analysis. */
export function describeCanary(canary: ArgoCanary): string {
  const parts = [
    `Rollout ${canary.rollout}${canary.phase ? ` (${canary.phase})` : ''}: canary ${canary.canaryReplicaSet ?? '?'} against stable ${canary.stableReplicaSet ?? '?'}`,
    canary.step !== null ? `step ${canary.step} of ${canary.steps}` : null,
    canary.weight !== null ? `weight ${canary.weight}%` : null,
    canary.pausedBy.length > 0 ? `paused (${canary.pausedBy.join(', ')})` : null,
    ...canary.analysis.map(
      (entry) => `${entry.run} analysis ${entry.name} ${entry.status}${entry.message ? `: ${entry.message}` : ''}`,
    ),
    canary.aborted ? 'aborted' : null,
  ];
  return parts.filter(Boolean).join(', ');
}
