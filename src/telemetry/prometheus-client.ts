import { HolmesError } from '../core/errors.js';
import { parseLabelSets, parseObject, parseQueryData, parseSampleValue, parseStringList } from './parse-query-data.js';
import { createPrometheusRequest, prometheusEndpoint } from './prometheus-request.js';
import type { QueryParams } from './prometheus-request.js';
import type {
  MetricMetadata,
  PrometheusAlert,
  PrometheusBuildInfo,
  PrometheusClient,
  PrometheusClientOptions,
  PrometheusRuleGroup,
  PrometheusTime,
  PrometheusTimeRange,
} from './prometheus-types.js';
import { createTelemetryStats } from './telemetry-stats.js';

const DEFAULT_TIMEOUT_MS = 15_000;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Unix seconds as Prometheus reads them; strings (RFC 3339 or seconds) pass through unchanged. */
function formatPrometheusTime(time: PrometheusTime): string {
  if (time instanceof Date) return String(time.getTime() / 1000);
  return String(time);
}

function rangeParams(range: PrometheusTimeRange | undefined): QueryParams {
  const params: QueryParams = [];
  if (range?.start !== undefined) params.push(['start', formatPrometheusTime(range.start)]);
  if (range?.end !== undefined) params.push(['end', formatPrometheusTime(range.end)]);
  return params;
}

function matchParams(matchers: string[] | undefined): QueryParams {
  return (matchers ?? []).map((matcher): [string, string] => ['match[]', matcher]);
}

function invalid(message: string, fix: string): HolmesError {
  return new HolmesError('TOOL_PARAMS_INVALID', message, { fix });
}

/** A read-only Prometheus HTTP API client; every call goes through one guarded request function. */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const stats = createTelemetryStats(options.onRequest);
  const endpoint = prometheusEndpoint(options.url, options.headers ?? {});
  const request = createPrometheusRequest({
    url: endpoint.url,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    headers: endpoint.headers,
    stats,
  });

  return {
    url: endpoint.url,

    async instantQuery(query, time) {
      const params: QueryParams = [['query', query]];
      if (time !== undefined) params.push(['time', formatPrometheusTime(time)]);
      const { data, ...meta } = await request('GET', 'query', params);
      return { ...parseQueryData(data), ...meta };
    },

    async rangeQuery(query, start, end, stepSeconds) {
      if (!(stepSeconds > 0)) {
        throw invalid(
          `Range query step must be a positive number of seconds, got ${stepSeconds}.`,
          'Pass a step such as 30 or 60.',
        );
      }
      const { data, ...meta } = await request('GET', 'query_range', [
        ['query', query],
        ['start', formatPrometheusTime(start)],
        ['end', formatPrometheusTime(end)],
        ['step', String(stepSeconds)],
      ]);
      return { ...parseQueryData(data), ...meta };
    },

    async series(matchers, start, end) {
      if (matchers.length === 0) {
        throw invalid(
          'A series lookup needs at least one matcher.',
          'Pass a selector such as {namespace="llm"} or DCGM_FI_DEV_GPU_UTIL.',
        );
      }
      const { data, ...meta } = await request('GET', 'series', [
        ...matchParams(matchers),
        ...rangeParams({ start, end }),
      ]);
      return { series: parseLabelSets(data), ...meta };
    },

    async labelNames(matchers, range) {
      const { data, ...meta } = await request('GET', 'labels', [...matchParams(matchers), ...rangeParams(range)]);
      return { names: parseStringList(data, 'label name list'), ...meta };
    },

    async labelValues(label, matchers, range) {
      if (!LABEL_NAME.test(label)) {
        throw invalid(
          `'${label}' is not a Prometheus label name.`,
          'Use a name made of letters, digits and underscores, e.g. pod or __name__.',
        );
      }
      const { data, ...meta } = await request('GET', `label/${label}/values`, [
        ...matchParams(matchers),
        ...rangeParams(range),
      ]);
      return { values: parseStringList(data, 'label value list'), ...meta };
    },

    async metricMetadata(metric) {
      const { data, ...meta } = await request('GET', 'metadata', metric === undefined ? [] : [['metric', metric]]);
      return { metadata: parseObject<Record<string, MetricMetadata[]>>(data, 'metadata map'), ...meta };
    },

    async rules() {
      const { data, ...meta } = await request('GET', 'rules');
      const groups = parseObject<{ groups?: PrometheusRuleGroup[] }>(data, 'rule list').groups ?? [];
      for (const group of groups) {
        for (const rule of group.rules ?? []) if (rule.alerts) rule.alerts = rule.alerts.map(normaliseAlert);
      }
      return { groups, ...meta };
    },

    async alerts() {
      const { data, ...meta } = await request('GET', 'alerts');
      const alerts = parseObject<{ alerts?: PrometheusAlert[] }>(data, 'alert list').alerts ?? [];
      return { alerts: alerts.map(normaliseAlert), ...meta };
    },

    async buildInfo() {
      const { data, ...meta } = await request('GET', 'status/buildinfo');
      return { buildInfo: parseObject<PrometheusBuildInfo>(data, 'build info'), ...meta };
    },

    stats: () => stats.snapshot(),
  };
}

// Alert values arrive as strings such as "1e+00"; callers compare numbers.
function normaliseAlert(alert: PrometheusAlert): PrometheusAlert {
  const value: unknown = alert.value;
  const normalised: PrometheusAlert = { ...alert, labels: alert.labels ?? {}, annotations: alert.annotations ?? {} };
  if (value !== undefined) normalised.value = parseSampleValue(value);
  return normalised;
}
