import { HolmesError } from '../../core/errors.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';
import { createPodMatcher } from '../signals/workload-scope.js';
import type { ToolContext } from '../tool-context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

const MINUTE = 60_000;

export function requireKube(context: ToolContext): KubeClient {
  if (!context.kube)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Kubernetes access is configured.', {
      fix: 'Set kubernetes.kubeconfig, kubernetes.inCluster or kubernetes.server.',
    });
  return context.kube;
}

export function textParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function namesParam(params: Record<string, unknown>, name: string): string[] {
  const value = params[name];
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  return typeof value === 'string' && value !== '' ? value.split(',').map((item) => item.trim()) : [];
}

/** When the alert started (the `alert_start` param), else a quarter of an hour ago. */
export function alertStartOf(params: Record<string, unknown>, now: Date): number {
  const parsed = Date.parse(textParam(params, 'alert_start') ?? '');
  return Number.isFinite(parsed) ? parsed : now.getTime() - 15 * MINUTE;
}

/** Whole minutes from `fromMs` to `toMs` (negative when `fromMs` is later), null without a time. */
export function minutesBetween(fromMs: number | null, toMs: number): number | null {
  return fromMs === null || !Number.isFinite(fromMs) ? null : Math.round((toMs - fromMs) / MINUTE);
}

/**
 * When an object last changed: its creation or its latest managed-fields write (kubectl apply,
 * edit, Helm, Argo CD all record one). Null when the object carries neither.
 */
export function changedAtMs(object: KubeObject): number | null {
  const times = [
    object.metadata.creationTimestamp,
    ...((object.metadata.managedFields as Json[] | undefined) ?? []).map((entry) => entry.time),
  ]
    .map((time) => Date.parse(String(time ?? '')))
    .filter((time) => Number.isFinite(time));
  return times.length > 0 ? Math.max(...times) : null;
}

/** The alert's pods among a namespace's: the resolved ones, and the workload's by name (past and pending ones too). */
export async function workloadPods(
  kube: KubeClient,
  params: Record<string, unknown>,
): Promise<{ ours: KubeObject[]; all: KubeObject[]; request: string }> {
  const namespace = textParam(params, 'namespace');
  const pods = namesParam(params, 'pods');
  const workload = textParam(params, 'workload');
  const list = await kube.list('Pod', namespace ? { namespace } : {});
  if (!namespace || (pods.length === 0 && !workload)) return { ours: [], all: list.items, request: list.request };
  const isOurs = createPodMatcher({ namespace, workload, pods });
  return {
    ours: list.items.filter((pod) => isOurs(pod.metadata.namespace, pod.metadata.name)),
    all: list.items,
    request: list.request,
  };
}

/** The last time an event was seen, in ms. */
export function eventTimeMs(event: KubeObject): number {
  const body = event as Json;
  return Date.parse(String(body.lastTimestamp ?? body.eventTime ?? body.firstTimestamp ?? '')) || 0;
}

/** Events of a namespace about the given objects (by kind and name), newest first. */
export async function eventsAbout(
  kube: KubeClient,
  namespace: string | undefined,
  about: (involved: { kind?: string; name?: string }) => boolean,
): Promise<{ events: Json[]; request: string }> {
  const result = await kube.events(namespace ? { namespace } : {});
  const events = (result.items as Json[])
    .filter((event) => about(event.involvedObject ?? {}))
    .sort((left, right) => eventTimeMs(right as KubeObject) - eventTimeMs(left as KubeObject));
  return { events, request: result.request };
}

/** A list that may be refused or not served (a custom kind, an RBAC gap): empty, with why. */
export async function listOrEmpty(
  kube: KubeClient,
  kind: string,
  options: Parameters<KubeClient['list']>[1] = {},
): Promise<{ items: KubeObject[]; request: string | null; error: string | null }> {
  try {
    const result = await kube.list(kind, options);
    return { items: result.items, request: result.request, error: null };
  } catch (error) {
    return { items: [], request: null, error: (error as Error).message };
  }
}

/** The container statuses of a pod, init containers included. */
export function containerStatuses(pod: KubeObject): Json[] {
  const status = (pod.status ?? {}) as Json;
  return [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
}

/** The controller that owns an object (its first controller reference), by name. */
export function ownerName(object: KubeObject): string | null {
  const owner =
    object.metadata.ownerReferences?.find((reference) => reference.controller !== false) ??
    object.metadata.ownerReferences?.[0];
  return owner?.name ?? null;
}
