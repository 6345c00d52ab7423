import type { KubeObject } from '../../core/kube-object.js';
import { renderPromql } from '../../toolsets/render-promql.js';
import { ok, podsBySelector, selectorString, type EntityState, type Json } from './entity-state.js';

/**
 * The ways to the alert's pods, most specific first; each runs only while no pod is found yet.
 * Each sets `state.pods` (and may learn the namespace, the workload or an HPA on the way).
 */
export type PodFinder = (state: EntityState) => Promise<void>;

/** A pod label without a namespace: the pod of that name, if only one namespace has it. */
export const podByNameAnywhere: PodFinder = async (state) => {
  const { pod } = state.labels;
  if (!pod || state.entities.namespace) return;
  const result = await state.toolbox.run('kubernetes_list', {
    kind: 'Pod',
    field_selector: `metadata.name=${pod}`,
    top_k: 5,
  });
  const found = ok(result) ? (result.data as KubeObject[]) : [];
  if (found.length === 1 && found[0]!.metadata.namespace) {
    state.pods = found;
    state.entities.namespace = found[0]!.metadata.namespace;
    state.entities.notes.push(`namespace ${state.entities.namespace}: the one namespace with a pod named ${pod}`);
  }
};

/** The pod the alert names, in its namespace. */
export const podByName: PodFinder = async (state) => {
  const { pod } = state.labels;
  const namespace = state.entities.namespace;
  if (!pod || !namespace || state.pods.length > 0) return;
  const result = await state.toolbox.run('kubernetes_get', { kind: 'Pod', name: pod, namespace });
  if (ok(result)) state.pods = [result.data as KubeObject];
  else
    state.entities.unresolved.push(
      `pod ${namespace}/${pod}: ${result.status === 'no_data' ? 'not found (deleted or rescheduled?)' : result.text}`,
    );
};

/** An HPA the alert names: its scale target is the workload. */
export const workloadOfHpa: PodFinder = async (state) => {
  const { hpa } = state.labels;
  const namespace = state.entities.namespace;
  if (state.pods.length > 0 || !hpa || !namespace || state.workload) return;
  const result = await state.toolbox.run('kubernetes_get', { kind: 'HorizontalPodAutoscaler', name: hpa, namespace });
  const target = ok(result) ? ((result.data as Json).spec?.scaleTargetRef as Json | undefined) : undefined;
  if (target?.kind && target.name) state.workload = { kind: String(target.kind), name: String(target.name) };
  state.entities.hpa = hpa;
};

/** The service's selector; without one, a Deployment of the service's name is the workload to try. */
export const podsOfService: PodFinder = async (state) => {
  const { service, namespace } = state.entities;
  if (state.pods.length > 0 || !service || !namespace) return;
  const result = await state.toolbox.run('kubernetes_get', { kind: 'Service', name: service, namespace });
  if (ok(result))
    state.pods = await podsBySelector(
      state,
      namespace,
      selectorString((result.data as Json).spec?.selector),
      `service ${service}`,
    );
  if (state.pods.length === 0 && !state.workload) state.workload = { kind: 'Deployment', name: service };
};

/** The workload's selector; a Job (or a training operator's job) by the labels its controller sets. */
export const podsOfWorkload: PodFinder = async (state) => {
  const { workload } = state;
  const { namespace, service } = state.entities;
  if (state.pods.length > 0 || !workload || !namespace) return;
  const result = await state.toolbox.run('kubernetes_get', { kind: workload.kind, name: workload.name, namespace });
  if (ok(result))
    state.pods = await podsBySelector(
      state,
      namespace,
      selectorString((result.data as Json).spec?.selector?.matchLabels),
      `${workload.kind} ${workload.name}`,
    );
  else if (!service) state.entities.unresolved.push(`${workload.kind} ${namespace}/${workload.name} not found`);
  const fallbacks =
    workload.kind === 'Job'
      ? [
          `batch.kubernetes.io/job-name=${workload.name}`,
          `job-name=${workload.name}`,
          `training.kubeflow.org/job-name=${workload.name}`,
        ]
      : [];
  for (const selector of fallbacks) {
    if (state.pods.length > 0) break;
    state.pods = await podsBySelector(state, namespace, selector, `${workload.kind} ${workload.name}`);
  }
};

/** The usual app labels carrying the service's name. */
export const podsByAppLabel: PodFinder = async (state) => {
  const { service, namespace } = state.entities;
  if (state.pods.length > 0 || !service || !namespace) return;
  for (const selector of [`app=${service}`, `app.kubernetes.io/name=${service}`]) {
    state.pods = await podsBySelector(state, namespace, selector, `label ${selector}`);
    if (state.pods.length > 0) break;
  }
};

/** No usable selector: ownership down (Deployment → ReplicaSets → Pods), then the name prefix. */
export const podsByOwnership: PodFinder = async (state) => {
  const { namespace, service } = state.entities;
  if (state.pods.length > 0 || !namespace || !(state.workload || service)) return;
  const owner = state.workload?.name ?? service!;
  const all = await state.toolbox.run('kubernetes_list', { kind: 'Pod', namespace, top_k: 200 });
  const replicaSets = await state.toolbox.run('kubernetes_list', { kind: 'ReplicaSet', namespace, top_k: 200 });
  const owned = new Set(
    (ok(replicaSets) ? (replicaSets.data as KubeObject[]) : [])
      .filter((replicaSet) => replicaSet.metadata.ownerReferences?.some((reference) => reference.name === owner))
      .map((replicaSet) => replicaSet.metadata.name),
  );
  const candidates = ok(all) ? (all.data as KubeObject[]) : [];
  state.pods = candidates.filter((pod) =>
    pod.metadata.ownerReferences?.some((reference) => reference.name === owner || owned.has(reference.name)),
  );
  if (state.pods.length === 0) state.pods = candidates.filter((pod) => pod.metadata.name.startsWith(`${owner}-`));
  if (state.pods.length > 0) state.entities.notes.push(`pods of ${owner} by ownership or name`);
};

/** The pods serving the alert's model, from vLLM's own series. */
export const podsServingModel: PodFinder = async (state) => {
  const { model, namespace } = state.entities;
  if (state.pods.length > 0 || !model) return;
  const query = renderPromql(
    'group by (namespace, pod) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting", model_name="{{model}}"})',
    { model },
  );
  const result = await state.toolbox.run('prometheus_instant_query', { query, top_k: 100 });
  const found = ok(result) ? ((result.data as Json).result as Array<{ labels: Record<string, string> }>) : [];
  for (const series of found) {
    if (!series.labels.pod) continue;
    const get = await state.toolbox.run('kubernetes_get', {
      kind: 'Pod',
      name: series.labels.pod,
      namespace: series.labels.namespace ?? namespace ?? 'default',
    });
    if (ok(get)) state.pods.push(get.data as KubeObject);
    else state.entities.pods.push({ namespace: series.labels.namespace ?? namespace ?? '', name: series.labels.pod });
  }
  if (found.length > 0) state.entities.notes.push(`pods serving model ${model} from vLLM metrics`);
};

/** A node alert with nothing more specific: the pods on that node. */
export const podsOnNode: PodFinder = async (state) => {
  const { node } = state.labels;
  if (state.pods.length > 0 || !node || state.entities.service || state.workload) return;
  const result = await state.toolbox.run('kubernetes_list', {
    kind: 'Pod',
    field_selector: `spec.nodeName=${node}`,
    top_k: 200,
  });
  if (ok(result)) state.pods = result.data as KubeObject[];
};

/** A namespace alert that names nothing else: every pod of the namespace. */
export const podsOfNamespace: PodFinder = async (state) => {
  const { namespace, service, model } = state.entities;
  if (state.pods.length > 0 || !namespace || service || state.workload || model || state.labels.pod) return;
  const result = await state.toolbox.run('kubernetes_list', { kind: 'Pod', namespace, top_k: 200 });
  if (ok(result)) {
    state.pods = result.data as KubeObject[];
    state.entities.notes.push(`no workload label: all pods of namespace ${namespace}`);
  }
};

/** In order: a finder runs only while the ones before it found no pod. */
export const POD_FINDERS: readonly PodFinder[] = [
  podByNameAnywhere,
  podByName,
  workloadOfHpa,
  podsOfService,
  podsOfWorkload,
  podsByAppLabel,
  podsByOwnership,
  podsServingModel,
  podsOnNode,
  podsOfNamespace,
];
