export { toOpenMetrics, type OpenMetricsOptions } from './to-open-metrics.js';
export { startPrometheus, type LabPrometheus, type StartPrometheusOptions } from './start-prometheus.js';
export { registerCleanup } from './register-cleanup.js';
