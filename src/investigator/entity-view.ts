import { formatDuration } from '../core/duration.js';
import type { Alert } from '../core/alert.js';
import type { Entities } from '../core/investigation.js';
import type { EntityName } from '../core/entity-names.js';
import { ListValue, NameValue } from '../toolsets/template-values.js';

/** What templates see: names checked before they reach a command, lists that each renderer spells its way. */
export type EntityView = Record<string, string | ListValue | NameValue>;

const MINUTE = 60_000;

/**
 * The values runbook templates can use. Lists (`pods`, `nodes`, `containers`) become escaped
 * alternatives in a PromQL regex, quoted words in a command and `a, b` in a sentence; names
 * (`namespace`, `workload`…) are checked before they reach a command. Windows follow the alert's
 * age so "before" and "after" are real.
 */
export function entityView(entities: Entities, alert: Alert, now: Date): EntityView {
  const startedMs = Date.parse(alert.startsAt);
  const ageMs = Number.isFinite(startedMs) ? Math.max(MINUTE, now.getTime() - startedMs) : 15 * MINUTE;
  const roundMinutes = (ms: number) => Math.max(1, Math.round(ms / MINUTE)) * MINUTE;
  // The incident window reaches a little before the alert fired, where causes usually start.
  const window = roundMinutes(Math.max(30 * MINUTE, ageMs + 15 * MINUTE));
  const view: EntityView = {
    alertname: entities.alertname,
    alert_age: formatDuration(roundMinutes(ageMs)),
    window: formatDuration(window),
    baseline_offset: formatDuration(window),
    lookback: formatDuration(Math.max(2 * window, 60 * MINUTE)),
  };
  const set = (name: string, value: string | undefined) => {
    if (value) view[name] = value;
  };
  const name = (key: string, value: string | undefined) => {
    if (value) view[key] = new NameValue(value);
  };
  name('namespace', entities.namespace);
  name('service', entities.service);
  name('workload', entities.workload?.name);
  set('workload_kind', entities.workload?.kind);
  set('model', entities.model);
  set('team', entities.team);
  // Sentences name the team as people know it; queries keep the gateway's id in `team`.
  set('team_name', entities.teamAlias ?? entities.team);
  set('api_key', entities.apiKey);
  name('hpa', entities.hpa);
  if (entities.pods.length > 0) {
    view.pods = new ListValue(entities.pods.map((pod) => pod.name));
    view.pod_list = entities.pods.map((pod) => pod.name).join(', ');
    name('first_pod', entities.pods[0]!.name);
  }
  if (entities.nodes.length > 0) {
    view.nodes = new ListValue(entities.nodes);
    view.node_list = entities.nodes.join(', ');
  }
  if (entities.gpus.length > 0) view.gpu_list = entities.gpus.map((gpu) => `gpu ${gpu.gpu} on ${gpu.node}`).join(', ');
  if (entities.containers.length > 0) view.containers = new ListValue(entities.containers);
  return view;
}

/** The view as plain text, for sentences and for JSONata (which would print a value object as JSON). */
export function plainView(view: EntityView): Record<string, string> {
  return Object.fromEntries(Object.entries(view).map(([key, value]) => [key, String(value)]));
}

/** Which `needs` an entity view cannot satisfy. */
export function missingEntities(needs: EntityName[], view: EntityView): EntityName[] {
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
