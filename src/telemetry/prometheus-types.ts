import type { TelemetryRequestListener, TelemetryStats } from './telemetry-stats.js';

/** A sample as `[unix seconds, value]`; `NaN`, `+Inf` and `-Inf` arrive as numbers. */
export type Sample = [tsSeconds: number, value: number];

export type Labels = Record<string, string>;

/** Unix seconds, a `Date`, or a string Prometheus accepts as is (RFC 3339 or unix seconds). */
export type PrometheusTime = number | Date | string;

export interface InstantSeries {
  labels: Labels;
  value: Sample;
}

export interface RangeSeries {
  labels: Labels;
  values: Sample[];
}

export type QueryData =
  | { resultType: 'vector'; series: InstantSeries[] }
  | { resultType: 'matrix'; series: RangeSeries[] }
  | { resultType: 'scalar'; value: Sample }
  | { resultType: 'string'; value: [tsSeconds: number, value: string] };

/** What every answer carries besides its data, so tool results can show and measure it. */
export interface PrometheusResponseMeta {
  /** Path and query string exactly as run, e.g. `/api/v1/query?query=up&time=1700000000`. */
  request: string;
  /** The response body as received, for callers that measure output size. */
  raw: string;
  warnings: string[];
}

export type QueryResult = QueryData & PrometheusResponseMeta;

export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

export interface PrometheusAlert {
  labels: Labels;
  annotations: Labels;
  state: string;
  activeAt?: string;
  value?: number;
  [key: string]: unknown;
}

export interface PrometheusRule {
  name: string;
  query: string;
  type: 'alerting' | 'recording';
  health?: string;
  lastError?: string;
  labels?: Labels;
  annotations?: Labels;
  /** Alerting rules: the `for` duration in seconds. */
  duration?: number;
  state?: string;
  alerts?: PrometheusAlert[];
  [key: string]: unknown;
}

export interface PrometheusRuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: PrometheusRule[];
  [key: string]: unknown;
}

export interface PrometheusBuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  buildUser?: string;
  buildDate?: string;
  goVersion?: string;
  [key: string]: unknown;
}

export interface PrometheusTimeRange {
  start?: PrometheusTime;
  end?: PrometheusTime;
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://prometheus.monitoring:9090` (a path prefix is kept). */
  url: string;
  /** Per request; default 15 000. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  onRequest?: TelemetryRequestListener;
}

export interface PrometheusClient {
  readonly url: string;
  instantQuery(query: string, time?: PrometheusTime): Promise<QueryResult>;
  rangeQuery(query: string, start: PrometheusTime, end: PrometheusTime, stepSeconds: number): Promise<QueryResult>;
  series(
    matchers: string[],
    start?: PrometheusTime,
    end?: PrometheusTime,
  ): Promise<{ series: Labels[] } & PrometheusResponseMeta>;
  labelNames(matchers?: string[], range?: PrometheusTimeRange): Promise<{ names: string[] } & PrometheusResponseMeta>;
  labelValues(
    label: string,
    matchers?: string[],
    range?: PrometheusTimeRange,
  ): Promise<{ values: string[] } & PrometheusResponseMeta>;
  metricMetadata(metric?: string): Promise<{ metadata: Record<string, MetricMetadata[]> } & PrometheusResponseMeta>;
  rules(): Promise<{ groups: PrometheusRuleGroup[] } & PrometheusResponseMeta>;
  alerts(): Promise<{ alerts: PrometheusAlert[] } & PrometheusResponseMeta>;
  buildInfo(): Promise<{ buildInfo: PrometheusBuildInfo } & PrometheusResponseMeta>;
  stats(): TelemetryStats;
}
