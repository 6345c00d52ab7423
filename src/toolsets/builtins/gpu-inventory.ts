import type { BuiltinTool } from '../tool-context.js';
import { describeWorkload, readGpuWorkloads } from './gpu-workloads.js';

/** `gpu_inventory`: GPUs per node with the pods on each, from DCGM labels and pod GPU requests. */
export const gpuInventory: BuiltinTool = async (params, context) => {
  const { gpus, requests, raw } = await readGpuWorkloads(
    context.prometheus,
    context.toolset.labelAliases,
    context.now(),
  );
  const node = typeof params.node === 'string' ? params.node : undefined;
  const selected = node ? gpus.filter((entry) => entry.node === node) : gpus;
  // Pods that request GPUs on these nodes, to catch holders the exporter does not attribute.
  const requesting: string[] = [];
  if (context.kube) {
    const pods = await context.kube.list('Pod', node ? { fieldSelector: `spec.nodeName=${node}` } : {});
    requests.push(pods.request);
    raw.push(pods.raw);
    for (const pod of pods.items) {
      const containers =
        (pod.spec as { containers?: Array<{ resources?: { limits?: Record<string, string> } }> } | undefined)
          ?.containers ?? [];
      const count = containers.reduce(
        (sum, container) => sum + Number(container.resources?.limits?.['nvidia.com/gpu'] ?? 0),
        0,
      );
      if (count > 0)
        requesting.push(
          `${pod.metadata.namespace}/${pod.metadata.name} on ${(pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '?'} requests ${count} GPU`,
        );
    }
  }
  const byNode = new Map<string, Map<string, typeof selected>>();
  for (const entry of selected) {
    const gpusOfNode = byNode.get(entry.node) ?? new Map();
    gpusOfNode.set(entry.gpuKey, [...(gpusOfNode.get(entry.gpuKey) ?? []), entry]);
    byNode.set(entry.node, gpusOfNode);
  }
  const lines: string[] = [];
  for (const [name, gpusOfNode] of [...byNode].sort()) {
    lines.push(`${name}: ${gpusOfNode.size} GPUs`);
    for (const entries of gpusOfNode.values()) {
      const first = entries[0]!;
      lines.push(`  gpu ${first.gpu} ${first.model}: ${entries.map(describeWorkload).join('; ')}`);
    }
  }
  if (requesting.length > 0) lines.push('pods requesting nvidia.com/gpu:', ...requesting.map((line) => `  ${line}`));
  return {
    status: selected.length === 0 ? 'no_data' : 'success',
    text: selected.length === 0 ? `No DCGM GPU series${node ? ` on ${node}` : ''}.` : lines.join('\n'),
    data: { gpus: selected, requesting },
    requests,
    raw,
  };
};
