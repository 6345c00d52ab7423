export { createPrometheusClient } from './prometheus-client.js';
export type {
  InstantSeries,
  Labels,
  MetricMetadata,
  PrometheusAlert,
  PrometheusBuildInfo,
  PrometheusClient,
  PrometheusClientOptions,
  PrometheusResponseMeta,
  PrometheusRule,
  PrometheusRuleGroup,
  PrometheusTime,
  PrometheusTimeRange,
  QueryData,
  QueryResult,
  RangeSeries,
  Sample,
} from './prometheus-types.js';
export { parseSampleValue } from './parse-query-data.js';
export { createKubeClient } from './kube-client.js';
export type {
  KubeClient,
  KubeClientOptions,
  KubeEventsOptions,
  KubeGetResult,
  KubeKindOptions,
  KubeListOptions,
  KubeListResult,
  KubeResponseMeta,
  KubeVersionInfo,
  PodLogsOptions,
  PodLogsResult,
} from './kube-types.js';
export { createKubeConfiguration } from './kube-configuration.js';
export type { KubeConfiguration, KubeConnectionOptions } from './kube-configuration.js';
export { KUBE_KINDS, findKubeKind, isSecretName, resolveKubeKind } from './kube-kinds.js';
export { createKubeDiscovery } from './kube-discovery.js';
export type { KubeCatalog, KubeDiscovery } from './kube-discovery.js';
export type { KubeKind } from './kube-kinds.js';
export { assertKubeReadOnly } from './assert-kube-read-only.js';
export type { TelemetryRequestEvent, TelemetryRequestListener, TelemetryStats } from './telemetry-stats.js';
export { summarizeSeries } from './summarize-series.js';
export type { SeriesChange, SeriesSummary, SummarizeSeriesOptions } from './summarize-series.js';
export { formatSeriesSummary } from './format-series-summary.js';
export type { FormatSeriesSummaryOptions } from './format-series-summary.js';
export { formatCompactNumber } from './format-compact-number.js';
export { topK } from './top-k.js';
export type { TopKOptions, TopKResult } from './top-k.js';
