import type { KubeObject } from '../../core/kube-object.js';
import { renderPromql } from '../../toolsets/render-promql.js';
import { ListValue } from '../../toolsets/template-values.js';
import { ok, type EntityState, type Json } from './entity-state.js';

/** The HPA that scales the workload, when the alert did not name one. */
export async function findHpa(state: EntityState): Promise<void> {
  const { entities } = state;
  if (!entities.workload || !entities.namespace || entities.hpa) return;
  const hpas = await state.toolbox.run('kubernetes_list', {
    kind: 'HorizontalPodAutoscaler',
    namespace: entities.namespace,
    top_k: 100,
  });
  const match = ok(hpas)
    ? (hpas.data as KubeObject[]).find(
        (hpa) => (hpa.spec as Json | undefined)?.scaleTargetRef?.name === entities.workload!.name,
      )
    : undefined;
  if (match) entities.hpa = match.metadata.name;
}

/** A serving workload's model, from its own vLLM series: one model only, or it stays unnamed. */
export async function findModel(state: EntityState): Promise<void> {
  const { entities } = state;
  if (entities.model || !entities.namespace || entities.pods.length === 0) return;
  const query = renderPromql(
    'group by (model_name) ({__name__="vllm:num_requests_running", namespace="{{namespace}}", pod=~"{{pods}}"})',
    { namespace: entities.namespace, pods: new ListValue(entities.pods.map((pod) => pod.name)) },
  );
  const result = await state.toolbox.run('prometheus_instant_query', { query, top_k: 5 });
  const models = ok(result)
    ? ((result.data as Json).result as Array<{ labels: Record<string, string> }>)
        .map((series) => series.labels.model_name)
        .filter(Boolean)
    : [];
  if (models.length === 1) {
    entities.model = models[0]!;
    entities.notes.push(`model ${entities.model} from the pods' vLLM metrics`);
  }
}

/** The GPUs the pods hold (as the GPU inventory attributes them), or the one the alert names on their nodes. */
export async function findGpus(state: EntityState): Promise<void> {
  const { entities } = state;
  const inventory = await state.toolbox.run(
    'gpu_inventory',
    entities.nodes.length === 1 ? { node: entities.nodes[0]! } : {},
  );
  if (!ok(inventory)) return;
  const podNames = new Set(entities.pods.map((pod) => pod.name));
  const gpus = (inventory.data as { gpus: Array<{ node: string; gpu: string; gpuKey: string; pod: string | null }> })
    .gpus;
  for (const gpu of gpus) {
    const ours =
      (gpu.pod && podNames.has(gpu.pod)) || (state.labels.gpu === gpu.gpu && entities.nodes.includes(gpu.node));
    if (ours && !entities.gpus.some((known) => known.node === gpu.node && known.gpu === gpu.gpu))
      entities.gpus.push({ node: gpu.node, gpu: gpu.gpu, uuid: gpu.gpuKey });
  }
}
