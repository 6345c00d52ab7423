import { formatDuration } from '../core/duration.js';
import type { Alert } from '../core/alert.js';
import type { Entities } from '../core/investigation.js';
import type { EntityName } from '../runbooks/runbook-schema.js';

export function regexAlternation(values: string[]): string {
  return values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

const MINUTE = 60_000;

/**
 * The values runbook templates can use. Regexes (`pods`, `nodes`) are alternations of the
 * resolved names, escaped; windows follow the alert's age so "before" and "after" are real.
 */
export function entityView(entities: Entities, alert: Alert, now: Date): Record<string, string> {
  const startedMs = Date.parse(alert.startsAt);
  const ageMs = Number.isFinite(startedMs) ? Math.max(MINUTE, now.getTime() - startedMs) : 15 * MINUTE;
  const roundMinutes = (ms: number) => Math.max(1, Math.round(ms / MINUTE)) * MINUTE;
  // The incident window reaches a little before the alert fired, where causes usually start.
  const window = roundMinutes(Math.max(30 * MINUTE, ageMs + 15 * MINUTE));
  const view: Record<string, string> = {
    alertname: entities.alertname,
    alert_age: formatDuration(roundMinutes(ageMs)),
    window: formatDuration(window),
    baseline_offset: formatDuration(window),
    lookback: formatDuration(Math.max(2 * window, 60 * MINUTE)),
  };
  const set = (name: string, value: string | undefined) => {
    if (value) view[name] = value;
  };
  set('namespace', entities.namespace);
  set('service', entities.service);
  set('workload', entities.workload?.name);
  set('workload_kind', entities.workload?.kind);
  set('model', entities.model);
  set('team', entities.team);
  set('api_key', entities.apiKey);
  set('hpa', entities.hpa);
  if (entities.pods.length > 0) {
    view.pods = regexAlternation(entities.pods.map((pod) => pod.name));
    view.pod_list = entities.pods.map((pod) => pod.name).join(', ');
    view.first_pod = entities.pods[0]!.name;
  }
  if (entities.nodes.length > 0) {
    view.nodes = regexAlternation(entities.nodes);
    view.node_list = entities.nodes.join(', ');
  }
  if (entities.gpus.length > 0) view.gpu_list = entities.gpus.map((gpu) => `gpu ${gpu.gpu} on ${gpu.node}`).join(', ');
  if (entities.containers.length > 0) view.containers = regexAlternation(entities.containers);
  return view;
}

/** Which `needs` an entity view cannot satisfy. */
export function missingEntities(needs: EntityName[], view: Record<string, string>): EntityName[] {
  const key: Record<EntityName, string> = {
    namespace: 'namespace',
    workload: 'workload',
    service: 'service',
    pods: 'pods',
    nodes: 'nodes',
    gpus: 'gpu_list',
    model: 'model',
    team: 'team',
    api_key: 'api_key',
    hpa: 'hpa',
    containers: 'containers',
  };
  return needs.filter((need) => !view[key[need]]);
}
