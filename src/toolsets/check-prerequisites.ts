import type { KubeClient } from '../telemetry/kube-types.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import type { Prerequisite } from './toolset-schema.js';

export interface PrerequisiteProbe {
  prometheus: PrometheusClient | undefined;
  kube: KubeClient | undefined;
}

/**
 * Answers prerequisites with as few requests as possible: one reachability call per backend and
 * one metric-name listing, shared by every toolset.
 */
export interface PrerequisiteProblem {
  reason: string;
  unreachable: boolean;
}

export function createPrerequisiteChecker(probe: PrerequisiteProbe) {
  let prometheusUp: Promise<string | null> | undefined;
  let kubeUp: Promise<string | null> | undefined;
  let metricNames: Promise<Set<string> | string> | undefined;

  const checkPrometheus = () =>
    (prometheusUp ??= probe.prometheus
      ? probe.prometheus.buildInfo().then(
          () => null,
          (error: Error) => `Prometheus at ${probe.prometheus!.url} is not reachable: ${error.message}`,
        )
      : Promise.resolve('no Prometheus is configured (prometheus.url)'));
  const checkKube = () =>
    (kubeUp ??= probe.kube
      ? probe.kube.version().then(
          () => null,
          (error: Error) => `the Kubernetes API at ${probe.kube!.server} is not reachable: ${error.message}`,
        )
      : Promise.resolve('no Kubernetes access is configured (kubernetes.kubeconfig, inCluster or server)'));
  const names = () =>
    (metricNames ??= checkPrometheus().then(async (problem) => {
      if (problem) return problem;
      try {
        return new Set((await probe.prometheus!.labelValues('__name__')).values);
      } catch (error) {
        return `cannot list metric names: ${(error as Error).message}`;
      }
    }));

  /**
   * null when every prerequisite holds, else the first reason it does not; `unreachable` tells a
   * configured source that did not answer (the investigation is degraded) from absent data.
   */
  return async function check(prerequisites: Prerequisite[]): Promise<PrerequisiteProblem | null> {
    for (const prerequisite of prerequisites) {
      if ('prometheus' in prerequisite) {
        const problem = await checkPrometheus();
        if (problem) return { reason: problem, unreachable: Boolean(probe.prometheus) };
      } else if ('kubernetes' in prerequisite) {
        const problem = await checkKube();
        if (problem) return { reason: problem, unreachable: Boolean(probe.kube) };
      } else {
        const known = await names();
        if (typeof known === 'string') return { reason: known, unreachable: Boolean(probe.prometheus) };
        if (!prerequisite.metrics.some((metric) => known.has(metric))) {
          return {
            reason: `none of these metrics exist in Prometheus: ${prerequisite.metrics.join(', ')} (is the exporter installed and scraped?)`,
            unreachable: false,
          };
        }
      }
    }
    return null;
  };
}
