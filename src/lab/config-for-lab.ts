import type { HolmesConfig } from '../config/config-schema.js';
import type { Lab } from './start-lab.js';

/** The config with its sources pointed at a lab: its Prometheus and its Kubernetes API, no credentials. */
export function configForLab(config: HolmesConfig, lab: Pick<Lab, 'prometheusUrl' | 'kubeApiUrl'>): HolmesConfig {
  return {
    ...config,
    prometheus: { ...config.prometheus, url: lab.prometheusUrl, bearerToken: undefined },
    kubernetes: {
      ...config.kubernetes,
      server: lab.kubeApiUrl,
      kubeconfig: undefined,
      context: undefined,
      inCluster: false,
    },
  };
}
