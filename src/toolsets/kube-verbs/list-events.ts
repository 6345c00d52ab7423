import type { KubeObject } from '../../core/kube-object.js';
import { summarizeKubeObject } from '../summarize-kube-object.js';
import { str, type KubeVerb } from './kube-verb.js';

const DEFAULT_LIMIT = 25;

function lastSeen(event: KubeObject): number {
  const body = event as Record<string, unknown>;
  return (
    Date.parse(
      String(body.lastTimestamp ?? body.eventTime ?? body.firstTimestamp ?? event.metadata.creationTimestamp ?? 0),
    ) || 0
  );
}

/** Events newest first, Warnings before Normal, as one line each. */
export function formatEvents(events: KubeObject[], now: Date, limit: number): { text: string; omitted: number } {
  const ordered = [...events].sort((a, b) => {
    const warning = (event: KubeObject) => ((event as Record<string, unknown>).type === 'Warning' ? 0 : 1);
    return warning(a) - warning(b) || lastSeen(b) - lastSeen(a);
  });
  const shown = ordered.slice(0, limit);
  const omitted = ordered.length - shown.length;
  return {
    text:
      shown.map((event) => summarizeKubeObject(event, now)).join('\n') +
      (omitted > 0 ? `\n… ${omitted} more events not shown` : ''),
    omitted,
  };
}

/** `events`: for a namespace, or for one object (kind + name). */
export const listEvents: KubeVerb = async (params, { kube, now }) => {
  const result = await kube.events({
    ...(str(params.namespace) ? { namespace: params.namespace } : {}),
    ...(str(params.kind) ? { kind: params.kind } : {}),
    ...(str(params.name) ? { name: params.name } : {}),
  });
  const items = params.type
    ? result.items.filter((event) => (event as Record<string, unknown>).type === params.type)
    : result.items;
  const limit = typeof params.top_k === 'number' ? params.top_k : DEFAULT_LIMIT;
  const { text, omitted } = formatEvents(items, now, limit);
  return {
    status: items.length === 0 ? 'no_data' : 'success',
    text: items.length === 0 ? 'No events.' : `${items.length} events:\n${text}`,
    data: items,
    requests: [result.request],
    raw: [result.raw],
    ...(omitted > 0
      ? {
          omitted: {
            what: `${omitted} of ${items.length} events`,
            hint: 'Narrow with kind and name, or type=Warning.',
          },
        }
      : {}),
  };
};
