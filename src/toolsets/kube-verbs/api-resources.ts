import { apiGroupOf } from '../../core/kube-object.js';
import { str, type KubeVerb } from './kube-verb.js';

/**
 * `kinds`: what `kubectl api-resources` lists: every kind the cluster serves that Holmes may read
 * (custom resources included, Secrets never), with its apiVersion, scope and short names.
 */
export const apiResources: KubeVerb = async (params, { kube }) => {
  const catalog = await kube.apiResources();
  const group = str(params.group)?.toLowerCase();
  const kinds = catalog.kinds.filter((kind) => {
    const kindGroup = apiGroupOf(kind.apiVersion);
    return group === undefined || kindGroup === group || (group === 'core' && kindGroup === '');
  });
  const lines = kinds.map(
    (kind) =>
      `${kind.kind} ${kind.apiVersion} ${kind.plural}${kind.shortNames.length > 0 ? ` (${kind.shortNames.join(',')})` : ''}${kind.namespaced ? '' : ' cluster-scoped'}`,
  );
  const failed = catalog.failed.length > 0 ? `\ndiscovery failed for ${catalog.failed.join(', ')}` : '';
  return {
    status: kinds.length === 0 ? 'no_data' : 'success',
    text:
      kinds.length === 0
        ? `No kinds served${group ? ` in group ${group}` : ''}.${failed}`
        : `${kinds.length} kinds:\n${lines.join('\n')}${failed}`,
    data: { kinds, failed: catalog.failed },
    requests: catalog.requests,
    raw: [],
  };
};
