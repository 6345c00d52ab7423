import { logLineKind, type LogLineKind } from '../kube-verbs/classify-container-failure.js';
import type { PodLogLines } from './read-pod-logs.js';

/** A message as many pods log it: one example, and who logged it how often. */
export interface LogGroup {
  /** One line as logged (leading timestamp removed, cut to a readable length). */
  message: string;
  /** The line with its volatile parts (times, ids, addresses, numbers) replaced: what groups it. */
  pattern: string;
  severity: 'error' | 'warning' | 'info';
  /** A configuration error or a runtime fault, as the crash-loop diagnosis sorts lines; null otherwise. */
  kind: LogLineKind | null;
  /** Pods that logged it, of those read. */
  pods: number;
  /** Of those, pods that are not healthy (waiting, not ready or restarted). */
  unhealthyPods: number;
  /** Up to ten of them. */
  podNames: string[];
  /** Nodes of the pods that logged it. */
  nodes: string[];
  /** Lines in all. */
  count: number;
  /** Seen in the log of a crashed (previous) instance. */
  previous: boolean;
}

export interface GroupLogLinesOptions {
  /** Pod → node, for the nodes of each group. */
  nodeOf?: ReadonlyMap<string, string>;
  /** Pods counted as unhealthy. */
  unhealthy?: ReadonlySet<string>;
  /** Keep only lines matching. */
  filter?: RegExp;
  /** Longest example kept. */
  maxMessage?: number;
}

const LEADING_TIME =
  /^\s*(?:\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\]?|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+\s|\w{3} +\d+ \d\d:\d\d:\d\d)\s*/;
/** Volatile parts, most specific first: each becomes a placeholder so that the same message groups. */
const VOLATILE: Array<[RegExp, string]> = [
  [/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>'],
  [/\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b/gi, '<ip>'],
  // A number standing alone (with a unit): counts, durations, sizes. Digits inside a word name
  // something (fp8, h100, v2) and stay.
  [/(?<![A-Za-z_])\d+(?:\.\d+)*(?:ns|us|µs|ms|s|m|h|[KMGT]i?B|[kKMG]|%)?(?![A-Za-z_\d])/g, '<n>'],
];
const ERROR =
  /\b(?:error|err|fatal|critical|crit|panic|exception|traceback|failed|failure|refused|denied|forbidden)\b|level=(?:error|fatal)|"level":"(?:error|fatal)"|^E\d{4} /i;
const WARNING = /\b(?:warn|warning)\b|level=warn|"level":"warn|^W\d{4} /i;

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The line without its leading timestamp (ISO 8601, klog, syslog). */
export function stripLeadingTime(line: string): string {
  return line.replace(LEADING_TIME, '');
}

/**
 * What stays the same when many pods log the same message: the line without its timestamp, with
 * the names of the pods and nodes, ids, addresses and numbers replaced by placeholders.
 */
export function normaliseLogLine(line: string, names: RegExp | undefined): string {
  let text = stripLeadingTime(line).slice(0, 500);
  if (names) text = text.replace(names, '<name>');
  for (const [pattern, placeholder] of VOLATILE) text = text.replace(pattern, placeholder);
  return text.replace(/\s+/g, ' ').trim();
}

function severityOf(line: string): LogGroup['severity'] {
  return ERROR.test(line) ? 'error' : WARNING.test(line) ? 'warning' : 'info';
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * Identical messages across the pods of a workload, grouped: "3 of 8 pods: invalid configuration …".
 * Errors first, then the messages most pods share, then the most frequent: what a reader scanning
 * forty logs would write down.
 */
export function groupLogLines(logs: PodLogLines[], options: GroupLogLinesOptions = {}): LogGroup[] {
  const maxMessage = options.maxMessage ?? 240;
  const podNames = [...new Set(logs.map((log) => log.pod)), ...new Set(options.nodeOf?.values() ?? [])]
    .filter((name) => name.length >= 4)
    .sort((left, right) => right.length - left.length);
  const names = podNames.length > 0 ? new RegExp(podNames.map(escapeRegex).join('|'), 'g') : undefined;
  const groups = new Map<string, LogGroup & { podSet: Set<string>; nodeSet: Set<string> }>();
  for (const log of logs) {
    for (const line of log.lines) {
      if (options.filter && !options.filter.test(line)) continue;
      const pattern = normaliseLogLine(line, names);
      if (!pattern) continue;
      let group = groups.get(pattern);
      if (!group) {
        const message = stripLeadingTime(line).trim();
        group = {
          message: message.length > maxMessage ? `${message.slice(0, maxMessage)}…` : message,
          pattern,
          severity: severityOf(line),
          kind: logLineKind(line),
          pods: 0,
          unhealthyPods: 0,
          podNames: [],
          nodes: [],
          count: 0,
          previous: false,
          podSet: new Set(),
          nodeSet: new Set(),
        };
        groups.set(pattern, group);
      }
      group.count += 1;
      group.previous ||= log.previous;
      group.podSet.add(log.pod);
      const node = options.nodeOf?.get(log.pod);
      if (node) group.nodeSet.add(node);
    }
  }
  return [...groups.values()]
    .map(({ podSet, nodeSet, ...group }) => ({
      ...group,
      pods: podSet.size,
      unhealthyPods: [...podSet].filter((pod) => options.unhealthy?.has(pod)).length,
      podNames: [...podSet].sort().slice(0, 10),
      nodes: [...nodeSet].sort(),
    }))
    .sort(
      (left, right) =>
        SEVERITY_RANK[left.severity] - SEVERITY_RANK[right.severity] ||
        Number(right.kind !== null) - Number(left.kind !== null) ||
        right.pods - left.pods ||
        right.count - left.count ||
        left.pattern.localeCompare(right.pattern),
    );
}
