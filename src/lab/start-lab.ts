import { join } from 'node:path';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from './kube-api/index.js';
import { startPrometheus, type LabPrometheus } from './prometheus/index.js';
import type { Scenario } from './scenario.js';

/** A scenario made live: a real Prometheus and a Kubernetes API endpoint on loopback. */
export interface Lab {
  scenario: Scenario;
  prometheusUrl: string;
  kubeApiUrl: string;
  /** Inside Prometheus's temp dir, so it goes with it: on close() and, by the watchdog, on a crash. */
  kubeconfigPath: string;
  prometheus: LabPrometheus;
  kubeApi: KubeApiServer;
  close(): Promise<void>;
}

export async function startLab(scenario: Scenario): Promise<Lab> {
  const started: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    // Reverse order; every step runs even when one fails, so nothing is left behind.
    const results = await Promise.allSettled(started.reverse().map((close) => close()));
    started.length = 0;
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };
  try {
    // allSettled, not all: a failure of one must wait for the other to register its cleanup.
    const [prometheusResult, kubeApiResult] = await Promise.allSettled([
      startPrometheus({ series: scenario.series, now: scenario.now, intervalMs: scenario.intervalMs }),
      startKubeApiServer({ objects: scenario.objects, logs: scenario.logs, now: scenario.now }),
    ]);
    if (prometheusResult.status === 'fulfilled') started.push(() => prometheusResult.value.close());
    if (kubeApiResult.status === 'fulfilled') started.push(() => kubeApiResult.value.close());
    if (prometheusResult.status === 'rejected') throw prometheusResult.reason;
    if (kubeApiResult.status === 'rejected') throw kubeApiResult.reason;
    const prometheus = prometheusResult.value;
    const kubeApi = kubeApiResult.value;
    // Not a temp dir of its own: the watchdog removes Prometheus's even when this process is killed.
    const kubeconfigPath = join(prometheus.dataDir, 'kubeconfig');
    await writeKubeconfig({ url: kubeApi.url, path: kubeconfigPath, namespace: scenario.alert.labels.namespace });
    let closing: Promise<void> | undefined;
    return {
      scenario,
      prometheusUrl: prometheus.url,
      kubeApiUrl: kubeApi.url,
      kubeconfigPath,
      prometheus,
      kubeApi,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
