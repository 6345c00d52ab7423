import type { KubeObject } from '../../core/kube-object.js';
import { podState, summarizeKubeObject } from '../summarize-kube-object.js';
import { kindOptions, str, type KubeVerb } from './kube-verb.js';

const DEFAULT_LIMIT = 30;

/** `list`: one line per object, problems first for pods, with a count of what is not shown. */
export const listObjects: KubeVerb = async (params, { kube, now }) => {
  const kind = str(params.kind) ?? 'Pod';
  const result = await kube.list(kind, {
    ...kindOptions(params),
    ...(str(params.namespace) ? { namespace: params.namespace } : {}),
    ...(str(params.label_selector) ? { labelSelector: params.label_selector } : {}),
    ...(str(params.field_selector) ? { fieldSelector: params.field_selector } : {}),
  });
  const limit = typeof params.top_k === 'number' ? params.top_k : DEFAULT_LIMIT;
  const lines = result.items.map((item) => summarizeKubeObject(item, now));
  // Unhealthy pods first: when the list is cut, the lines a reader needs are kept.
  const order = result.items
    .map((item, index) => ({ line: lines[index]!, index, rank: isHealthyPod(item) ? 1 : 0 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  const shown = order.slice(0, limit);
  const omitted = lines.length - shown.length;
  return {
    status: lines.length === 0 ? 'no_data' : 'success',
    text:
      lines.length === 0
        ? `No ${kind} objects match.`
        : `${lines.length} ${kind}:\n${shown.map((entry) => entry.line).join('\n')}${omitted > 0 ? `\n… ${omitted} more not shown` : ''}`,
    data: result.items,
    requests: [result.request],
    raw: [result.raw],
    ...(omitted > 0
      ? {
          omitted: {
            what: `${omitted} of ${lines.length} ${kind} objects`,
            hint: 'Narrow with namespace, label_selector or field_selector.',
          },
        }
      : {}),
  };
};

function isHealthyPod(object: KubeObject): boolean {
  if (object.kind !== 'Pod') return false;
  const state = podState(object);
  const [ready, total] = state.ready.split('/');
  return state.phase === 'Running' && ready === total && state.restarts === 0 && state.waiting.length === 0;
}

/** `get`: one object, summarised, with its labels and owners. */
export const getObject: KubeVerb = async (params, { kube, now }) => {
  const kind = str(params.kind) ?? 'Pod';
  const result = await kube.get(kind, String(params.name), str(params.namespace), kindOptions(params));
  if (!result.object) {
    return {
      status: 'no_data',
      text: `${kind} ${params.namespace ? `${params.namespace}/` : ''}${params.name} not found.`,
      data: null,
      requests: [result.request],
      raw: [result.raw],
    };
  }
  const metadata = result.object.metadata;
  const labels = Object.entries(metadata.labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const owners = (metadata.ownerReferences ?? []).map((owner) => `${owner.kind}/${owner.name}`).join(',');
  return {
    status: 'success',
    text: `${summarizeKubeObject(result.object, now)}\nlabels: ${labels || '(none)'}${owners ? `\nowners: ${owners}` : ''}`,
    data: result.object,
    requests: [result.request],
    raw: [result.raw],
  };
};
