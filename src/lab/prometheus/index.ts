export { toOpenMetrics, type OpenMetricsOptions } from './to-open-metrics.js';
export {
  startPrometheus,
  PROMETHEUS_BIN_VARIABLE,
  PROMTOOL_BIN_VARIABLE,
  type LabPrometheus,
  type StartPrometheusOptions,
} from './start-prometheus.js';
export { registerCleanup } from './register-cleanup.js';
