/** Kubernetes objects for the diagnostics tools' tests, with a fixed clock. */
import type { KubeObject } from '../../../src/core/kube-object.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import type { KubeClient } from '../../../src/telemetry/kube-types.js';
import type { PrometheusClient } from '../../../src/telemetry/prometheus-types.js';

export const NOW = new Date('2026-01-10T12:00:00Z');
export const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

export function object(
  kind: string,
  name: string,
  namespace: string | undefined,
  body: Record<string, unknown> = {},
): KubeObject {
  const { metadata, ...rest } = body as { metadata?: Record<string, unknown> };
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: ago(60 * 24 * 30), ...metadata },
    ...rest,
  };
}

export function event(
  namespace: string,
  about: { kind: string; name: string },
  reason: string,
  message: string,
  extra: Record<string, unknown> = {},
): KubeObject {
  return object('Event', `${about.name}.${reason}.${message.length}`, namespace, {
    involvedObject: { ...about, namespace },
    reason,
    message,
    type: reason === 'Scheduled' || reason === 'Pulled' ? 'Normal' : 'Warning',
    count: 1,
    lastTimestamp: ago(2),
    ...extra,
  });
}

export function context(kube: KubeClient | undefined, prometheus?: PrometheusClient): ToolContext {
  return { kube, prometheus, now: () => NOW, toolset: {}, signals: new Map() } as unknown as ToolContext;
}
