import { homedir } from 'node:os';
import type { HolmesConfig } from '../config/config-schema.js';
import { resolveSecret } from '../config/secret.js';
import { createKubeClient } from './kube-client.js';
import type { KubeClient } from './kube-types.js';
import { createPrometheusClient } from './prometheus-client.js';
import type { PrometheusClient } from './prometheus-types.js';
import type { TelemetryRequestListener } from './telemetry-stats.js';

export interface Clients {
  prometheus: PrometheusClient | undefined;
  kube: KubeClient | undefined;
}

/** The read-only Prometheus client of the config, or undefined when no URL is configured. */
export function prometheusFromConfig(
  config: HolmesConfig,
  onRequest?: TelemetryRequestListener,
): PrometheusClient | undefined {
  return config.prometheus.url
    ? createPrometheusClient({
        url: config.prometheus.url,
        timeoutMs: config.prometheus.timeoutMs,
        headers: {
          ...config.prometheus.headers,
          ...(config.prometheus.bearerToken
            ? { Authorization: `Bearer ${resolveSecret(config.prometheus.bearerToken, 'prometheus.bearerToken')}` }
            : {}),
        },
        ...(onRequest ? { onRequest } : {}),
      })
    : undefined;
}

/** The read-only clients the config asks for; a source that is not configured is undefined. */
export function clientsFromConfig(config: HolmesConfig, onRequest?: TelemetryRequestListener): Clients {
  const prometheus = prometheusFromConfig(config, onRequest);
  const { kubernetes } = config;
  const kubeConfigured = kubernetes.server || kubernetes.kubeconfig || kubernetes.inCluster || process.env.KUBECONFIG;
  const kube = kubeConfigured
    ? createKubeClient({
        ...(kubernetes.server ? { server: kubernetes.server } : {}),
        // `~/.kube/config` as people write it; the client itself does not expand `~`.
        ...(kubernetes.kubeconfig ? { kubeconfigPath: kubernetes.kubeconfig.replace(/^~(?=$|\/)/, homedir()) } : {}),
        ...(kubernetes.context ? { context: kubernetes.context } : {}),
        inCluster: kubernetes.inCluster,
        timeoutMs: kubernetes.timeoutMs,
        ...(onRequest ? { onRequest } : {}),
      })
    : undefined;
  return { prometheus, kube };
}
