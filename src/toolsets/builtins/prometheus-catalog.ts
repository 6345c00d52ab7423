import { HolmesError } from '../../core/errors.js';
import { groupByStem } from '../group-by-stem.js';
import type { BuiltinTool, ToolContext } from '../tool-context.js';

const DEFAULT_LIMIT = 50;

function client(context: ToolContext) {
  if (!context.prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  return context.prometheus;
}

function limited(values: string[], limit: number, what: string) {
  const shown = values.slice(0, limit);
  const omitted = values.length - shown.length;
  return {
    text: `${values.length} ${what}: ${groupByStem(shown).join(', ')}${omitted > 0 ? ` … ${omitted} more` : ''}`,
    ...(omitted > 0
      ? {
          omitted: { what: `${omitted} of ${values.length} ${what}`, hint: 'Narrow with a more specific match regex.' },
        }
      : {}),
  };
}

/** Metric names matching a regex: how a model finds what an exporter calls things here. */
export const prometheusMetricNames: BuiltinTool = async (params, context) => {
  const result = await client(context).labelValues('__name__');
  const pattern = new RegExp(String(params.match ?? '.*'), 'i');
  const names = result.values.filter((name) => pattern.test(name));
  return {
    status: names.length ? 'success' : 'no_data',
    ...limited(names, Number(params.top_k ?? DEFAULT_LIMIT), 'metric names'),
    data: names,
    requests: [result.request],
    raw: [result.raw],
  };
};

/** Values of one label, optionally only on series matching a selector. */
export const prometheusLabelValues: BuiltinTool = async (params, context) => {
  const result = await client(context).labelValues(
    String(params.label),
    params.match ? [String(params.match)] : undefined,
  );
  return {
    status: result.values.length ? 'success' : 'no_data',
    ...limited(result.values, Number(params.top_k ?? DEFAULT_LIMIT), `values of ${params.label}`),
    data: result.values,
    requests: [result.request],
    raw: [result.raw],
  };
};

/** Series (label sets) matching a selector, without their samples. */
export const prometheusSeries: BuiltinTool = async (params, context) => {
  const result = await client(context).series([String(params.match)]);
  const lines = result.series.map(
    (labels) =>
      `${labels.__name__ ?? ''}{${Object.entries(labels)
        .filter(([name]) => name !== '__name__')
        .map(([name, value]) => `${name}="${value}"`)
        .join(',')}}`,
  );
  const out = limited(lines, Number(params.top_k ?? 20), 'series');
  return {
    status: lines.length ? 'success' : 'no_data',
    text: out.text.replace(': ', ':\n').replaceAll(', ', '\n'),
    ...(out.omitted ? { omitted: out.omitted } : {}),
    data: result.series,
    requests: [result.request],
    raw: [result.raw],
  };
};

/** Alerts Prometheus itself has pending or firing. */
export const prometheusActiveAlerts: BuiltinTool = async (_params, context) => {
  const result = await client(context).alerts();
  const lines = result.alerts.map(
    (alert) =>
      `${alert.state} ${alert.labels.alertname ?? ''} ${Object.entries(alert.labels)
        .filter(([name]) => name !== 'alertname')
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}${alert.activeAt ? ` since ${alert.activeAt}` : ''}`,
  );
  return {
    status: lines.length ? 'success' : 'no_data',
    text: lines.length ? lines.join('\n') : 'No active alerts.',
    data: result.alerts,
    requests: [result.request],
    raw: [result.raw],
  };
};

/** Alerting and recording rules, with their expressions: what an alert actually measures. */
export const prometheusRules: BuiltinTool = async (params, context) => {
  const result = await client(context).rules();
  const pattern = new RegExp(String(params.match ?? '.*'), 'i');
  const rules = result.groups
    .flatMap((group) => group.rules.map((rule) => ({ group: group.name, ...rule })))
    .filter((rule) => pattern.test(rule.name));
  const lines = rules.map(
    (rule) =>
      `${rule.type} ${rule.name} (${rule.group}): ${rule.query}${rule.duration ? ` for ${rule.duration}s` : ''}${rule.health && rule.health !== 'ok' ? ` [${rule.health}: ${rule.lastError ?? ''}]` : ''}`,
  );
  return {
    status: lines.length ? 'success' : 'no_data',
    text: lines.length ? lines.join('\n') : 'No rules match.',
    data: rules,
    requests: [result.request],
    raw: [result.raw],
  };
};
