import { describe, expect, it } from 'vitest';
import { alertExpression, alertSignal, signalUnit } from '../../../src/toolsets/signals/alert-signal.js';

const url = (expression: string) =>
  `http://prometheus.monitoring.svc:9090/graph?g0.expr=${encodeURIComponent(expression)}&g0.tab=1`;

const signal = (expression: string) => alertSignal(alertExpression(url(expression)));

describe('alertSignal', () => {
  it('takes the comparison off a latency rule and keeps its threshold, in seconds', () => {
    const query =
      'histogram_quantile(0.99, sum by (le, namespace, service) (rate(vllm:time_to_first_token_seconds_bucket{namespace="llm",service="chat-api"}[5m])))';
    expect(signal(`${query} > 2`)).toEqual({
      query,
      unit: 's',
      threshold: { value: 2, label: 'alert fires >' },
    });
  });

  it('reads a number on the left as the threshold, the comparison turned round', () => {
    expect(signal('0.9 <= vllm:kv_cache_usage_perc')).toEqual({
      query: 'vllm:kv_cache_usage_perc',
      unit: 'ratio',
      threshold: { value: 0.9, label: 'alert fires >=' },
    });
  });

  it('keeps the first operand of a set operation, with `bool` and matching modifiers', () => {
    expect(signal('DCGM_FI_DEV_GPU_TEMP > bool 85 and on() vector(1)')).toMatchObject({
      query: 'DCGM_FI_DEV_GPU_TEMP',
      unit: 'celsius',
      threshold: { value: 85 },
    });
    expect(signal('rate(kube_pod_container_status_restarts_total[15m]) > 0 unless on(pod) x')).toEqual({
      query: 'rate(kube_pod_container_status_restarts_total[15m])',
      unit: 'per_second',
      threshold: { value: 0, label: 'alert fires >' },
    });
  });

  it('draws an expression with no comparison whole, and one between two series by its left side', () => {
    expect(signal('sum(DCGM_FI_DEV_FB_USED)')).toEqual({ query: 'sum(DCGM_FI_DEV_FB_USED)', unit: 'count' });
    expect(signal('a_bytes > b_bytes')).toEqual({ query: 'a_bytes', unit: 'bytes' });
  });

  it('gives nothing for a URL without an expression, a broken expression or an oversized one', () => {
    expect(alertSignal(undefined)).toBeUndefined();
    expect(alertExpression('not a url')).toBeUndefined();
    expect(alertExpression('http://prometheus:9090/alerts')).toBeUndefined();
    expect(signal('sum(rate(x[5m]) >')).toBeUndefined();
    expect(signal('up{job="a"} == 0 "; rm -rf /')).toBeUndefined();
    expect(signal(`x{a="${'y'.repeat(2100)}"} > 1`)).toBeUndefined();
  });

  it('keeps label values with operators and quotes inside their strings', () => {
    const query = 'sum(rate(http_requests_total{code=~"5..",path="/a>b\\"c"}[5m]))';
    expect(alertExpression(url(`${query} > 3`))).toBe(`${query} > 3`);
    expect(signal(`${query} > 3`)?.query).toBe(query);
  });
});

describe('signalUnit', () => {
  it.each([
    ['rate(x_seconds_sum[5m]) / rate(x_seconds_count[5m])', 's'],
    ['sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))', 'ratio'],
    ['rate(node_network_receive_bytes_total[5m])', 'bytes_per_second'],
    ['container_memory_working_set_bytes', 'bytes'],
    ['avg(DCGM_FI_DEV_GPU_UTIL)', 'percent'],
    ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'ratio'],
    ['DCGM_FI_DEV_SM_CLOCK', 'mhz'],
    ['DCGM_FI_DEV_POWER_USAGE', 'watts'],
    ['rate(container_cpu_cfs_throttled_seconds_total[5m])', 'per_second'],
    ['kube_deployment_status_replicas_unavailable', 'count'],
    ['sum by (team) (rate(litellm_spend_metric_total[10m])) * 3600', 'usd_per_hour'],
    ['sum by (team_alias) (increase(litellm_spend_metric_total[1h]))', 'usd'],
    [
      'avg_over_time(sum(container_gpu_allocation * on (node) group_left () node_gpu_hourly_cost)[2h:5m])',
      'usd_per_hour',
    ],
    ['sum(sum_over_time((container_gpu_allocation * on(node) group_left node_gpu_hourly_cost)[6h:5m]) / 12)', 'usd'],
  ])('%s is drawn in %s', (query, unit) => {
    expect(signalUnit(query)).toBe(unit);
  });
});
