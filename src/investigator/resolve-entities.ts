import type { Alert } from '../core/alert.js';
import type { Entities } from '../core/investigation.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ToolResult } from '../core/tool-result.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { labelValue } from './alert-label-names.js';
import { renderPromql } from '../toolsets/render-promql.js';
import { ListValue } from '../toolsets/template-values.js';
import { resolveTeamEntities } from './resolve-team-entities.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function selectorString(matchLabels: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(matchLabels ?? {});
  return entries.length > 0 ? entries.map(([key, value]) => `${key}=${value}`).join(',') : undefined;
}

function ok(result: ToolResult): boolean {
  return result.status === 'success';
}

/**
 * Turns alert labels into the things to look at — namespace, workload, pods, nodes, GPUs, model,
 * team — through the same tools the checks use. Whatever cannot be resolved is said, not guessed.
 */
export async function resolveEntities(alert: Alert, toolbox: Toolbox): Promise<Entities> {
  const labels = alert.labels;
  const entities: Entities = {
    alertname: labels.alertname ?? '(unnamed alert)',
    pods: [],
    containers: [],
    nodes: [],
    gpus: [],
    notes: [],
    unresolved: [],
  };
  const namespaceLabel = labelValue(labels, 'namespace');
  if (namespaceLabel) entities.namespace = namespaceLabel;
  const service = labelValue(labels, 'service');
  if (service) entities.service = service;
  const model = labelValue(labels, 'model');
  if (model) entities.model = model;
  const team = labelValue(labels, 'team');
  if (team) entities.team = team;
  const apiKey = labelValue(labels, 'apiKey');
  if (apiKey) entities.apiKey = apiKey;
  // Team and key as the gateway spells them; a team-only alert gets the namespace the team owns.
  await resolveTeamEntities(entities, toolbox);
  const namespace = entities.namespace;
  const container = labelValue(labels, 'container');
  if (container) entities.containers.push(container);
  const podLabel = labelValue(labels, 'pod');
  const nodeLabel = labelValue(labels, 'node');
  const hpaLabel = labelValue(labels, 'hpa');
  const workloadLabel =
    (labelValue(labels, 'deployment') && { kind: 'Deployment', name: labelValue(labels, 'deployment')! }) ||
    (labelValue(labels, 'statefulset') && { kind: 'StatefulSet', name: labelValue(labels, 'statefulset')! }) ||
    (labelValue(labels, 'daemonset') && { kind: 'DaemonSet', name: labelValue(labels, 'daemonset')! }) ||
    (labelValue(labels, 'job') && { kind: 'Job', name: labelValue(labels, 'job')! }) ||
    undefined;

  const podsBySelector = async (ns: string | undefined, selector: string | undefined, why: string) => {
    if (!selector) return [];
    const result = await toolbox.run('kubernetes_list', {
      kind: 'Pod',
      ...(ns ? { namespace: ns } : {}),
      label_selector: selector,
      top_k: 200,
    });
    if (!ok(result)) return [];
    entities.notes.push(`pods of ${why} by selector ${selector}`);
    return result.data as KubeObject[];
  };

  let pods: KubeObject[] = [];
  if (podLabel && !namespace) {
    // An alert on a pod alone (no namespace label): the pod of that name, if only one namespace has it.
    const result = await toolbox.run('kubernetes_list', {
      kind: 'Pod',
      field_selector: `metadata.name=${podLabel}`,
      top_k: 5,
    });
    const found = ok(result) ? (result.data as KubeObject[]) : [];
    if (found.length === 1 && found[0]!.metadata.namespace) {
      pods = found;
      entities.namespace = found[0]!.metadata.namespace;
      entities.notes.push(`namespace ${entities.namespace}: the one namespace with a pod named ${podLabel}`);
    }
  }
  if (podLabel && namespace) {
    const result = await toolbox.run('kubernetes_get', { kind: 'Pod', name: podLabel, namespace });
    if (ok(result)) pods = [result.data as KubeObject];
    else
      entities.unresolved.push(
        `pod ${namespace}/${podLabel}: ${result.status === 'no_data' ? 'not found (deleted or rescheduled?)' : result.text}`,
      );
  }
  let workload = workloadLabel;
  if (pods.length === 0 && hpaLabel && namespace && !workload) {
    const result = await toolbox.run('kubernetes_get', { kind: 'HorizontalPodAutoscaler', name: hpaLabel, namespace });
    const target = ok(result) ? ((result.data as Json).spec?.scaleTargetRef as Json | undefined) : undefined;
    if (target?.kind && target.name) workload = { kind: String(target.kind), name: String(target.name) };
    entities.hpa = hpaLabel;
  }
  if (pods.length === 0 && service && namespace) {
    const result = await toolbox.run('kubernetes_get', { kind: 'Service', name: service, namespace });
    if (ok(result))
      pods = await podsBySelector(
        namespace,
        selectorString((result.data as Json).spec?.selector),
        `service ${service}`,
      );
    if (pods.length === 0 && !workload) workload = { kind: 'Deployment', name: service };
  }
  if (pods.length === 0 && workload && namespace) {
    const result = await toolbox.run('kubernetes_get', { kind: workload.kind, name: workload.name, namespace });
    if (ok(result))
      pods = await podsBySelector(
        namespace,
        selectorString((result.data as Json).spec?.selector?.matchLabels),
        `${workload.kind} ${workload.name}`,
      );
    else if (!service) entities.unresolved.push(`${workload.kind} ${namespace}/${workload.name} not found`);
    // A Job without spec.selector (the API server fills it in), or a training operator's job: the labels their controllers put on pods.
    const fallbacks =
      workload.kind === 'Job'
        ? [
            `batch.kubernetes.io/job-name=${workload.name}`,
            `job-name=${workload.name}`,
            `training.kubeflow.org/job-name=${workload.name}`,
          ]
        : [];
    for (const selector of fallbacks) {
      if (pods.length > 0) break;
      pods = await podsBySelector(namespace, selector, `${workload.kind} ${workload.name}`);
    }
  }
  if (pods.length === 0 && service && namespace) {
    for (const selector of [`app=${service}`, `app.kubernetes.io/name=${service}`]) {
      pods = await podsBySelector(namespace, selector, `label ${selector}`);
      if (pods.length > 0) break;
    }
  }
  if (pods.length === 0 && namespace && (workload || service)) {
    // No usable selector: follow ownership down (Deployment → ReplicaSets → Pods), then names.
    const owner = workload?.name ?? service!;
    const all = await toolbox.run('kubernetes_list', { kind: 'Pod', namespace, top_k: 200 });
    const replicaSets = await toolbox.run('kubernetes_list', { kind: 'ReplicaSet', namespace, top_k: 200 });
    const owned = new Set(
      (ok(replicaSets) ? (replicaSets.data as KubeObject[]) : [])
        .filter((replicaSet) => replicaSet.metadata.ownerReferences?.some((reference) => reference.name === owner))
        .map((replicaSet) => replicaSet.metadata.name),
    );
    const candidates = ok(all) ? (all.data as KubeObject[]) : [];
    pods = candidates.filter((pod) =>
      pod.metadata.ownerReferences?.some((reference) => reference.name === owner || owned.has(reference.name)),
    );
    if (pods.length === 0) pods = candidates.filter((pod) => pod.metadata.name.startsWith(`${owner}-`));
    if (pods.length > 0) entities.notes.push(`pods of ${owner} by ownership or name`);
  }
  if (pods.length === 0 && model) {
    const query = renderPromql(
      'group by (namespace, pod) ({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting", model_name="{{model}}"})',
      { model },
    );
    const result = await toolbox.run('prometheus_instant_query', { query, top_k: 100 });
    const found = ok(result) ? ((result.data as Json).result as Array<{ labels: Record<string, string> }>) : [];
    for (const series of found) {
      if (!series.labels.pod) continue;
      const get = await toolbox.run('kubernetes_get', {
        kind: 'Pod',
        name: series.labels.pod,
        namespace: series.labels.namespace ?? namespace ?? 'default',
      });
      if (ok(get)) pods.push(get.data as KubeObject);
      else entities.pods.push({ namespace: series.labels.namespace ?? namespace ?? '', name: series.labels.pod });
    }
    if (found.length > 0) entities.notes.push(`pods serving model ${model} from vLLM metrics`);
  }
  if (pods.length === 0 && nodeLabel && !service && !workload) {
    const result = await toolbox.run('kubernetes_list', {
      kind: 'Pod',
      field_selector: `spec.nodeName=${nodeLabel}`,
      top_k: 200,
    });
    if (ok(result)) pods = result.data as KubeObject[];
  }
  if (pods.length === 0 && namespace && !service && !workload && !model && !podLabel) {
    const result = await toolbox.run('kubernetes_list', { kind: 'Pod', namespace, top_k: 200 });
    if (ok(result)) {
      pods = result.data as KubeObject[];
      entities.notes.push(`no workload label: all pods of namespace ${namespace}`);
    }
  }
  for (const pod of pods) {
    const node = (pod.spec as Json | undefined)?.nodeName as string | undefined;
    entities.pods.push({
      namespace: pod.metadata.namespace ?? namespace ?? '',
      name: pod.metadata.name,
      ...(node ? { node } : {}),
    });
  }
  if (!entities.namespace && entities.pods[0]?.namespace) entities.namespace = entities.pods[0].namespace;
  if (workload) entities.workload = workload;
  else if (pods[0]) {
    const chain = await toolbox.run('owner_chain', {
      kind: 'Pod',
      name: pods[0].metadata.name,
      namespace: pods[0].metadata.namespace ?? '',
    });
    const top = ok(chain)
      ? ((chain.data as { chain: KubeObject[] }).chain.at(-1) as KubeObject | undefined)
      : undefined;
    if (top && top.kind !== 'Pod') entities.workload = { kind: top.kind, name: top.metadata.name };
  }
  if ((service || workload || podLabel || model) && entities.pods.length === 0) {
    entities.unresolved.push(
      `no pods found for ${[service && `service ${service}`, workload && `${workload.kind} ${workload.name}`, podLabel && `pod ${podLabel}`, model && `model ${model}`].filter(Boolean).join(', ')}`,
    );
  }
  entities.nodes = [
    ...new Set([
      ...(nodeLabel ? [nodeLabel] : []),
      ...entities.pods.map((pod) => pod.node).filter((node): node is string => Boolean(node)),
    ]),
  ];
  if (entities.workload && entities.namespace && !entities.hpa) {
    const hpas = await toolbox.run('kubernetes_list', {
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
  if (!entities.model && entities.namespace && entities.pods.length > 0) {
    // A serving workload's model, from its own vLLM series: one model only, or it stays unnamed.
    const query = renderPromql(
      'group by (model_name) ({__name__="vllm:num_requests_running", namespace="{{namespace}}", pod=~"{{pods}}"})',
      { namespace: entities.namespace, pods: new ListValue(entities.pods.map((pod) => pod.name)) },
    );
    const result = await toolbox.run('prometheus_instant_query', { query, top_k: 5 });
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
  const inventory = await toolbox.run('gpu_inventory', entities.nodes.length === 1 ? { node: entities.nodes[0]! } : {});
  if (ok(inventory)) {
    const podNames = new Set(entities.pods.map((pod) => pod.name));
    const gpus = (inventory.data as { gpus: Array<{ node: string; gpu: string; gpuKey: string; pod: string | null }> })
      .gpus;
    for (const gpu of gpus) {
      if (
        (gpu.pod && podNames.has(gpu.pod)) ||
        (labelValue(labels, 'gpu') === gpu.gpu && entities.nodes.includes(gpu.node))
      ) {
        if (!entities.gpus.some((known) => known.node === gpu.node && known.gpu === gpu.gpu))
          entities.gpus.push({ node: gpu.node, gpu: gpu.gpu, uuid: gpu.gpuKey });
      }
    }
  }
  return entities;
}
