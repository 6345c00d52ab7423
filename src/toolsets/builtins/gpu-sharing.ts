import type { BuiltinTool } from '../tool-context.js';
import { describeWorkload, readGpuWorkloads, type GpuSeries } from './gpu-workloads.js';

export interface SharedGpu {
  gpuKey: string;
  node: string;
  gpu: string;
  model: string;
  /** `mig`: partitions with their own SMs and memory; `time-slicing`: pods take turns on one GPU (time-slicing or MPS). */
  mode: 'mig' | 'time-slicing';
  workloads: GpuSeries[];
}

/** Physical GPUs used by more than one workload, and how they share it. */
export function findSharedGpus(gpus: GpuSeries[]): SharedGpu[] {
  const byGpu = new Map<string, GpuSeries[]>();
  for (const entry of gpus) if (entry.pod) byGpu.set(entry.gpuKey, [...(byGpu.get(entry.gpuKey) ?? []), entry]);
  const shared: SharedGpu[] = [];
  for (const [gpuKey, entries] of byGpu) {
    const pods = new Set(entries.map((entry) => `${entry.namespace}/${entry.pod}`));
    if (pods.size < 2) continue;
    const first = entries[0]!;
    const instances = new Set(entries.map((entry) => entry.migInstance));
    // Distinct MIG instances per pod are isolated; pods on the same instance (or no MIG) contend.
    const mode =
      entries.every((entry) => entry.migInstance !== null) && instances.size === pods.size ? 'mig' : 'time-slicing';
    shared.push({ gpuKey, node: first.node, gpu: first.gpu, model: first.model, mode, workloads: entries });
  }
  return shared;
}

/** `gpu_sharing`: which GPUs more than one workload uses; with `namespace`/`pod`, only the GPUs they use. */
export const gpuSharing: BuiltinTool = async (params, context) => {
  const { gpus, requests, raw } = await readGpuWorkloads(
    context.prometheus,
    context.toolset.labelAliases,
    context.now(),
  );
  let shared = findSharedGpus(gpus);
  const namespace = typeof params.namespace === 'string' ? params.namespace : undefined;
  const pod = typeof params.pod === 'string' ? new RegExp(params.pod) : undefined;
  if (namespace || pod) {
    shared = shared.filter((gpu) =>
      gpu.workloads.some(
        (entry) => (!namespace || entry.namespace === namespace) && (!pod || pod.test(entry.pod ?? '')),
      ),
    );
  }
  const lines = shared.map((gpu) => {
    const how =
      gpu.mode === 'mig'
        ? 'MIG partitions (isolated SMs and memory)'
        : 'time-sliced/MPS (no isolation: they contend for SMs and memory bandwidth)';
    return `GPU ${gpu.gpu} on ${gpu.node} ${gpu.model} (${gpu.gpuKey}): ${gpu.workloads.length} workloads, ${how}\n  ${gpu.workloads.map(describeWorkload).join('\n  ')}`;
  });
  return {
    status: gpus.length === 0 ? 'no_data' : 'success',
    text:
      gpus.length === 0
        ? 'No DCGM GPU series found.'
        : lines.length === 0
          ? `No shared GPUs among ${new Set(gpus.map((gpu) => gpu.gpuKey)).size} GPUs${namespace ? ` used by ${namespace}` : ''}: every GPU serves one workload.`
          : lines.join('\n'),
    data: { sharedGpus: shared, gpuCount: new Set(gpus.map((gpu) => gpu.gpuKey)).size },
    requests,
    raw,
  };
};
