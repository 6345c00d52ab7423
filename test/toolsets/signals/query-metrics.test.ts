import { describe, expect, it } from 'vitest';
import { queryMetrics } from '../../../src/toolsets/signals/query-metrics.js';

describe('queryMetrics', () => {
  it('names only metrics in a signal template, not the label names after {{{scope}}}', () => {
    expect(queryMetrics('sum(rate(http_requests_total{ {{{scope}}}, code=~"5.." }[5m]))')).toEqual([
      'http_requests_total',
    ]);
  });

  it('reads templates with {{name}} values inside matchers', () => {
    expect(
      queryMetrics('max by (node) (kube_node_status_condition{ node=~"{{nodes}}", condition="Ready", status="true" })'),
    ).toEqual(['kube_node_status_condition']);
  });

  it('names every metric of a plain query and of __name__ matchers', () => {
    expect(queryMetrics('a_total / on (pod) b{job="x"} + {__name__=~"c|d"}')).toEqual(['a_total', 'b', 'c', 'd']);
  });
});
