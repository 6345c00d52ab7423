import type { Alert } from '../core/alert.js';
import type { Entities } from '../core/investigation.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { labelValue } from './alert-label-names.js';
import type { EntityState } from './entities/entity-state.js';
import { findGpus, findHpa, findModel } from './entities/find-context.js';
import { findWorkload, findWorkloadPods } from './entities/find-workload.js';
import { namespaceOfPods } from './entities/namespace-of-pods.js';
import { podRole } from './entities/pod-role.js';
import { POD_FINDERS } from './entities/find-pods.js';
import { resolveTeamEntities, type TeamNamespaces } from './resolve-team-entities.js';

/** What the alert says in its own labels, before any tool runs. */
export function entitiesFromLabels(alert: Alert): Pick<EntityState, 'entities' | 'labels'> {
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
  for (const [field, name] of [
    ['namespace', 'namespace'],
    ['service', 'service'],
    ['model', 'model'],
    ['team', 'team'],
    ['apiKey', 'apiKey'],
  ] as const) {
    const value = labelValue(labels, name);
    if (value) entities[field] = value;
  }
  const container = labelValue(labels, 'container');
  if (container) entities.containers.push(container);
  const workloadKinds = [
    ['deployment', 'Deployment'],
    ['statefulset', 'StatefulSet'],
    ['daemonset', 'DaemonSet'],
    ['job', 'Job'],
  ] as const;
  const named = workloadKinds.find(([label]) => labelValue(labels, label));
  const found = Object.fromEntries(
    (['pod', 'node', 'hpa', 'gpu'] as const).flatMap((name) => {
      const value = labelValue(labels, name);
      return value ? [[name, value]] : [];
    }),
  ) as EntityState['labels'];
  return {
    entities,
    labels: { ...found, ...(named ? { workload: { kind: named[1], name: labelValue(labels, named[0])! } } : {}) },
  };
}

/**
 * Turns alert labels into the things to look at — namespace, workload, pods, nodes, GPUs, model,
 * team — through the same tools the checks use, one named step at a time. Whatever cannot be
 * resolved is said, not guessed.
 */
export async function resolveEntities(
  alert: Alert,
  toolbox: Toolbox,
  teamNamespaces?: TeamNamespaces,
): Promise<Entities> {
  const state: EntityState = { alert, toolbox, ...entitiesFromLabels(alert), pods: [] };
  state.workload = state.labels.workload;
  const { entities } = state;
  // Team and key as the gateway spells them; a team-only alert gets the namespace the team owns.
  await resolveTeamEntities(entities, toolbox, teamNamespaces);
  const namespace = entities.namespace;
  for (const finder of POD_FINDERS) await finder(state);
  const listPods = (pods: typeof state.pods) => {
    for (const pod of pods) {
      const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      const role = podRole(pod);
      entities.pods.push({
        namespace: pod.metadata.namespace ?? namespace ?? '',
        name: pod.metadata.name,
        ...(node ? { node } : {}),
        ...(role ? { role } : {}),
      });
    }
  };
  listPods(state.pods);
  if (!entities.namespace)
    entities.namespace = namespaceOfPods(state.pods, entities.notes) ?? entities.pods[0]?.namespace;
  await findWorkload(state);
  const found = state.pods.length;
  await findWorkloadPods(state);
  listPods(state.pods.slice(found));
  const { pod, node } = state.labels;
  const { service, model } = entities;
  if ((service || state.workload || pod || model) && entities.pods.length === 0) {
    entities.unresolved.push(
      `no pods found for ${[service && `service ${service}`, state.workload && `${state.workload.kind} ${state.workload.name}`, pod && `pod ${pod}`, model && `model ${model}`].filter(Boolean).join(', ')}`,
    );
  }
  entities.nodes = [
    ...new Set([
      ...(node ? [node] : []),
      ...entities.pods.map((entry) => entry.node).filter((name): name is string => Boolean(name)),
    ]),
  ];
  await findHpa(state);
  await findModel(state);
  await findGpus(state);
  return entities;
}
