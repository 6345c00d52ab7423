import { describe, expect, it } from 'vitest';
import { labelValue } from '../../src/investigator/alert-label-names.js';

describe('labelValue', () => {
  it('reads the first spelling present', () => {
    expect(labelValue({ kubernetes_namespace: 'web' }, 'namespace')).toBe('web');
    expect(labelValue({ hostname: 'gpu-7' }, 'node')).toBe('gpu-7');
    expect(labelValue({ instance: 'node-a.internal:9100' }, 'node')).toBe('node-a.internal');
  });

  it('prefers exported_* labels: the plain ones then belong to the scrape target', () => {
    const labels = {
      namespace: 'gpu-operator',
      pod: 'nvidia-dcgm-exporter-x1',
      exported_namespace: 'llm',
      exported_pod: 'chat-0',
    };
    expect(labelValue(labels, 'namespace')).toBe('llm');
    expect(labelValue(labels, 'pod')).toBe('chat-0');
  });

  it("ignores an exporter's own pod, namespace and service on an alert about a node", () => {
    const labels = {
      alertname: 'KubeNodeNotReady',
      node: 'n1',
      namespace: 'monitoring',
      pod: 'kube-state-metrics-6f9c7b8d5-xq2lp',
      service: 'kube-state-metrics',
      job: 'kube-state-metrics',
    };
    expect(labelValue(labels, 'pod')).toBeUndefined();
    expect(labelValue(labels, 'namespace')).toBeUndefined();
    expect(labelValue(labels, 'service')).toBeUndefined();
    expect(labelValue(labels, 'node')).toBe('n1');
  });

  it('keeps the labels of an ordinary pod', () => {
    expect(labelValue({ namespace: 'shop', pod: 'cart-7d9-abc' }, 'pod')).toBe('cart-7d9-abc');
  });
});
