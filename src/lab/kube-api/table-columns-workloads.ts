import type { KubeObject } from '../../core/kube-object.js';
import { ageOf, humanDuration } from './human-duration.js';
import { readList, readNumber, readPath, readRecord, readText } from './read-path.js';
import { ageColumn, column, nameColumn, type TableColumn } from './table.js';

/** Columns of the apps, batch and autoscaling kinds, after the API server's printers. */

const orNone = (text: string) => (text === '' ? '<none>' : text);

function podTemplateColumns(templatePath: string): TableColumn[] {
  const containers = (object: KubeObject) => readList(object, `${templatePath}.containers`);
  return [
    column(
      'Containers',
      (object) =>
        containers(object)
          .map((container) => readText(container, 'name'))
          .join(','),
      1,
    ),
    column(
      'Images',
      (object) =>
        containers(object)
          .map((container) => readText(container, 'image'))
          .join(','),
      1,
    ),
  ];
}

/** `metav1.FormatLabelSelector`: matchLabels as k=v, matchExpressions as `key in (a,b)`. */
export function formatSelector(object: KubeObject, path = 'spec.selector'): string {
  const selector = readPath(object, path);
  if (selector === undefined) return '<none>';
  const labels = Object.entries(readRecord(selector, 'matchLabels')).map(([key, value]) => `${key}=${String(value)}`);
  const expressions = readList(selector, 'matchExpressions').map((expression) => {
    const values = ((expression.values as string[] | undefined) ?? []).join(',');
    const operator = readText(expression, 'operator');
    const key = readText(expression, 'key');
    if (operator === 'Exists') return key;
    if (operator === 'DoesNotExist') return `!${key}`;
    return `${key} ${operator.toLowerCase()} (${values})`;
  });
  const text = [...labels, ...expressions].join(',');
  return text === '' ? '<none>' : text;
}

const selectorColumn = column('Selector', (object) => formatSelector(object), 1);
const replicas = (object: KubeObject) => readNumber(object, 'spec.replicas', 1);

function jobStatus(job: KubeObject): string {
  const conditions = readList(job, 'status.conditions').filter((condition) => condition.status === 'True');
  const has = (type: string) => conditions.some((condition) => condition.type === type);
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (readText(job, 'metadata.deletionTimestamp') !== '') return 'Terminating';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

function jobCompletions(job: KubeObject): string {
  const succeeded = readNumber(job, 'status.succeeded');
  const completions = readPath(job, 'spec.completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = readNumber(job, 'spec.parallelism', 1);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: Date): string {
  const start = Date.parse(readText(job, 'status.startTime'));
  if (Number.isNaN(start)) return '';
  const completion = Date.parse(readText(job, 'status.completionTime'));
  return humanDuration((Number.isNaN(completion) ? now.getTime() : completion) - start);
}

/** One metric of an HPA as `kubectl get hpa` shows it: `cpu: 45%/80%`. */
function hpaMetric(spec: Record<string, unknown>, current: Record<string, unknown> | undefined): string {
  const type = readText(spec, 'type');
  const source = readRecord(spec, type.charAt(0).toLowerCase() + type.slice(1));
  const currentSource = readRecord(current, type.charAt(0).toLowerCase() + type.slice(1));
  const target = readRecord(source, 'target');
  const label = type === 'Resource' || type === 'ContainerResource' ? `${readText(source, 'name')}: ` : '';
  const utilization = readPath(target, 'averageUtilization');
  if (typeof utilization === 'number') {
    const now = readPath(currentSource, 'current.averageUtilization');
    return `${label}${typeof now === 'number' ? `${now}%` : '<unknown>'}/${utilization}%`;
  }
  const field = readText(target, 'type') === 'Value' ? 'value' : 'averageValue';
  const wanted = readText(target, field);
  const actual = readText(currentSource, `current.${field}`) || '<unknown>';
  const average = field === 'averageValue' && type !== 'Pods' ? ' (avg)' : '';
  return `${label}${actual}/${wanted}${average}`;
}

function hpaTargets(hpa: KubeObject): string {
  const specs = readList(hpa, 'spec.metrics');
  if (specs.length === 0) return '<none>';
  const currents = readList(hpa, 'status.currentMetrics');
  const shown = specs.slice(0, 3).map((spec, index) => hpaMetric(spec, currents[index]));
  const more = specs.length > 3 ? ` + ${specs.length - 3} more...` : '';
  return `${shown.join(', ')}${more}`;
}

export const WORKLOAD_TABLE_COLUMNS: Record<string, TableColumn[]> = {
  Deployment: [
    nameColumn,
    column('Ready', (deployment) => `${readNumber(deployment, 'status.readyReplicas')}/${replicas(deployment)}`),
    column('Up-to-date', (deployment) => readNumber(deployment, 'status.updatedReplicas'), 0, 'integer'),
    column('Available', (deployment) => readNumber(deployment, 'status.availableReplicas'), 0, 'integer'),
    ageColumn,
    ...podTemplateColumns('spec.template.spec'),
    selectorColumn,
  ],
  ReplicaSet: [
    nameColumn,
    column('Desired', replicas, 0, 'integer'),
    column('Current', (set) => readNumber(set, 'status.replicas'), 0, 'integer'),
    column('Ready', (set) => readNumber(set, 'status.readyReplicas'), 0, 'integer'),
    ageColumn,
    ...podTemplateColumns('spec.template.spec'),
    selectorColumn,
  ],
  StatefulSet: [
    nameColumn,
    column('Ready', (set) => `${readNumber(set, 'status.readyReplicas')}/${replicas(set)}`),
    ageColumn,
    ...podTemplateColumns('spec.template.spec'),
  ],
  DaemonSet: [
    nameColumn,
    column('Desired', (set) => readNumber(set, 'status.desiredNumberScheduled'), 0, 'integer'),
    column('Current', (set) => readNumber(set, 'status.currentNumberScheduled'), 0, 'integer'),
    column('Ready', (set) => readNumber(set, 'status.numberReady'), 0, 'integer'),
    column('Up-to-date', (set) => readNumber(set, 'status.updatedNumberScheduled'), 0, 'integer'),
    column('Available', (set) => readNumber(set, 'status.numberAvailable'), 0, 'integer'),
    column('Node Selector', (set) =>
      orNone(
        Object.entries(readRecord(set, 'spec.template.spec.nodeSelector'))
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(','),
      ),
    ),
    ageColumn,
    ...podTemplateColumns('spec.template.spec'),
    selectorColumn,
  ],
  Job: [
    nameColumn,
    column('Status', jobStatus),
    column('Completions', jobCompletions),
    column('Duration', jobDuration),
    ageColumn,
    ...podTemplateColumns('spec.template.spec'),
    selectorColumn,
  ],
  CronJob: [
    nameColumn,
    column('Schedule', (cronJob) => readText(cronJob, 'spec.schedule')),
    column('Timezone', (cronJob) => orNone(readText(cronJob, 'spec.timeZone'))),
    column('Suspend', (cronJob) => (readPath(cronJob, 'spec.suspend') === true ? 'True' : 'False')),
    column('Active', (cronJob) => readList(cronJob, 'status.active').length, 0, 'integer'),
    column('Last Schedule', (cronJob, now) => {
      const last = readText(cronJob, 'status.lastScheduleTime');
      return last === '' ? '<none>' : ageOf(last, now);
    }),
    ageColumn,
    ...podTemplateColumns('spec.jobTemplate.spec.template.spec'),
    column('Selector', (cronJob) => formatSelector(cronJob, 'spec.jobTemplate.spec.selector'), 1),
  ],
  HorizontalPodAutoscaler: [
    nameColumn,
    column(
      'Reference',
      (hpa) => `${readText(hpa, 'spec.scaleTargetRef.kind')}/${readText(hpa, 'spec.scaleTargetRef.name')}`,
    ),
    column('Targets', hpaTargets),
    column('MinPods', (hpa) => {
      const minimum = readPath(hpa, 'spec.minReplicas');
      return typeof minimum === 'number' ? String(minimum) : '<unset>';
    }),
    column('MaxPods', (hpa) => readNumber(hpa, 'spec.maxReplicas'), 0, 'integer'),
    column('Replicas', (hpa) => readNumber(hpa, 'status.currentReplicas'), 0, 'integer'),
    ageColumn,
  ],
};
