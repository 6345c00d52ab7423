import { formatAge } from '../kube-age.js';
import { hasOwnSummary, summarizeKubeObject } from '../summarize-kube-object.js';
import { formatEvents } from './list-events.js';
import { describeFields } from './describe-fields.js';
import { kindOptions, str, type KubeVerb } from './kube-verb.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function containerLines(object: Json, now: Date): string[] {
  const specs: Json[] = object.spec?.containers ?? object.spec?.template?.spec?.containers ?? [];
  const statuses: Json[] = object.status?.containerStatuses ?? [];
  return specs.map((container) => {
    const status = statuses.find((entry) => entry.name === container.name) ?? {};
    const resources = container.resources ?? {};
    const limits = Object.entries(resources.limits ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const requests = Object.entries(resources.requests ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const state = Object.keys(status.state ?? {})[0];
    const stateDetail = state ? `${state}${status.state[state]?.reason ? `(${status.state[state].reason})` : ''}` : '';
    const last = status.lastState?.terminated;
    const lastText = last
      ? `; last terminated ${last.reason ?? ''} exit ${last.exitCode} ${formatAge(last.finishedAt, now)} ago`
      : '';
    const args = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
    return `  ${container.name}: image ${container.image}${stateDetail ? `; ${stateDetail}` : ''}${status.restartCount ? `; restarts ${status.restartCount}` : ''}${lastText}; requests ${requests || '-'}; limits ${limits || '-'}${args ? `; args ${args.slice(0, 200)}` : ''}`;
  });
}

/** `describe`: the object, its conditions and containers, and its recent events — like kubectl describe, compact. */
export const describeObject: KubeVerb = async (params, { kube, now }) => {
  const kind = str(params.kind) ?? 'Pod';
  const result = await kube.get(kind, String(params.name), str(params.namespace), kindOptions(params));
  if (!result.object) {
    return {
      status: 'no_data',
      text: `${kind} ${params.name} not found.`,
      data: null,
      requests: [result.request],
      raw: [result.raw],
    };
  }
  const object = result.object as Json;
  const events = await kube.events({
    ...(str(params.namespace) ? { namespace: params.namespace } : {}),
    kind: result.object.kind,
    name: result.object.metadata.name,
  });
  const lines = [summarizeKubeObject(result.object, now)];
  const labels = Object.entries(result.object.metadata.labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  if (labels) lines.push(`labels: ${labels}`);
  const owners = (result.object.metadata.ownerReferences ?? []).map((owner) => `${owner.kind}/${owner.name}`);
  if (owners.length > 0) lines.push(`owners: ${owners.join(',')}`);
  const conditions: Json[] = object.status?.conditions ?? [];
  if (conditions.length > 0) {
    lines.push('conditions:');
    for (const condition of conditions) {
      lines.push(
        `  ${condition.type}=${condition.status}${condition.reason ? ` ${condition.reason}` : ''}${condition.message ? `: ${String(condition.message).slice(0, 200)}` : ''}`,
      );
    }
  }
  const containers = containerLines(object, now);
  if (containers.length > 0) lines.push('containers:', ...containers);
  // Kinds without a summary of their own (custom resources, RBAC, policies) show their fields.
  if (!hasOwnSummary(result.object)) lines.push(...describeFields(result.object));
  const formatted = formatEvents(events.items, now, 10);
  lines.push(events.items.length > 0 ? `events:\n${formatted.text}` : 'events: none');
  return {
    status: 'success',
    text: lines.join('\n'),
    data: { object: result.object, events: events.items },
    requests: [result.request, events.request],
    raw: [result.raw, events.raw],
  };
};
