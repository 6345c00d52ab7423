import { terminalText } from '../../core/terminal-text.js';
import { requireKube, textParam, workloadPods } from '../diagnostics/kube-reads.js';
import { groupLogLines, type LogGroup } from '../diagnostics/group-log-lines.js';
import { podTrouble, readPodLogs } from '../diagnostics/read-pod-logs.js';
import type { BuiltinTool } from '../tool-context.js';

const DEFAULT_PODS = 40;
const DEFAULT_TAIL = 100;
const DEFAULT_SHOWN = 12;
/** Groups kept in the data for checks: enough to find the rare error among routine lines. */
const KEPT_GROUPS = 50;

const integer = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;

function describeGroup(group: LogGroup, podsRead: number): string {
  const who = [
    group.unhealthyPods > 0 ? `${group.unhealthyPods} unhealthy` : '',
    group.nodes.length > 0 && group.nodes.length <= 3 ? `node ${group.nodes.join(', ')}` : '',
    group.previous ? 'crashed instances' : '',
  ].filter(Boolean);
  return `${group.pods} of ${podsRead} pods${who.length ? ` (${who.join('; ')})` : ''}${group.count > group.pods ? ` ×${group.count}` : ''}: ${group.message}`;
}

/**
 * `workload_logs`: a capped sample of the log of every pod of the workload (unhealthy pods first,
 * the crashed instance of each restarted container too), identical messages grouped across pods
 * after their times, ids, addresses and numbers are set aside — "37 of 40 pods: connection refused
 * to orders-db:5432". Bounded three ways: lines per pod, pods, and groups shown.
 */
export const workloadLogs: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const maxPods = integer(params.max_pods, DEFAULT_PODS);
  const tailLines = integer(params.tail_lines, DEFAULT_TAIL);
  const shown = integer(params.top_k, DEFAULT_SHOWN);
  const filterText = textParam(params, 'filter');
  const filter = filterText ? new RegExp(filterText, 'i') : undefined;
  const { ours, request } = await workloadPods(kube, params);
  const { logs, requests } = await readPodLogs(kube, ours, { maxPods, tailLines, previous: true });
  const podsRead = new Set(logs.map((log) => log.pod));
  const unhealthy = new Set(
    ours.filter((pod) => podsRead.has(pod.metadata.name) && podTrouble(pod) > 0).map((pod) => pod.metadata.name),
  );
  const nodeOf = new Map(
    ours.flatMap((pod) => {
      const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      return node ? [[pod.metadata.name, node] as const] : [];
    }),
  );
  const groups = groupLogLines(logs, { nodeOf, unhealthy, ...(filter ? { filter } : {}) }).map((group) => ({
    ...group,
    message: terminalText(group.message),
  }));
  const linesRead = logs.reduce((sum, log) => sum + log.lines.length, 0);
  const crashedRead = logs.filter((log) => log.previous).length;
  // Pods with at least one line kept: how far a message reaches, whatever its wording on each pod.
  const matching = new Set(
    logs.filter((log) => log.lines.some((line) => !filter || filter.test(line))).map((log) => log.pod),
  );
  const workload = textParam(params, 'workload') ?? 'the workload';
  const data = {
    pods: ours.length,
    podsRead: podsRead.size,
    unhealthy: [...unhealthy].sort(),
    nodes: [...new Set(ours.map((pod) => nodeOf.get(pod.metadata.name)).filter(Boolean))].sort(),
    linesRead,
    crashedRead,
    matchingPods: matching.size,
    matchingNodes: [...new Set([...matching].map((pod) => nodeOf.get(pod)).filter(Boolean))].sort(),
    groups: groups.slice(0, KEPT_GROUPS),
  };
  const left = ours.length - podsRead.size;
  const header = `Logs of ${podsRead.size} of ${ours.length} pods of ${terminalText(workload)} (last ${tailLines} lines each${unhealthy.size > 0 ? `; ${unhealthy.size} unhealthy, read first` : ''}${crashedRead > 0 ? `; ${crashedRead} crashed instances` : ''}): ${linesRead} lines, ${groups.length} distinct messages${filterText ? ` matching /${terminalText(filterText.slice(0, 80))}/ in ${matching.size} pods` : ''}.`;
  const text =
    ours.length === 0
      ? `No pods of ${terminalText(workload)} found.`
      : [header, ...groups.slice(0, shown).map((group) => describeGroup(group, podsRead.size))].join('\n');
  return {
    status: groups.length === 0 ? 'no_data' : 'success',
    text,
    data,
    requests: [request, ...requests],
    raw: [],
    ...(groups.length > shown || left > 0
      ? {
          omitted: {
            what: [
              groups.length > shown ? `${groups.length - shown} rarer messages` : '',
              left > 0 ? `the logs of ${left} more pods` : '',
            ]
              .filter(Boolean)
              .join(' and '),
            hint: 'Use filter (regex) to keep the lines that matter, or raise top_k / max_pods.',
          },
        }
      : {}),
  };
};
