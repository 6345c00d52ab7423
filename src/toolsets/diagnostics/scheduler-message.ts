/** What kind of obstacle a scheduler reason is: the fix differs for each. */
export type ObstacleCategory = 'resources' | 'placement' | 'volume' | 'other';

export interface SchedulingReason {
  /** How many nodes gave this reason. */
  nodes: number;
  reason: string;
  category: ObstacleCategory;
  /** For `Insufficient <resource>`: the resource (`nvidia.com/gpu`, `cpu`, `nvidia.com/mig-1g.10gb`). */
  resource?: string;
}

export interface SchedulerMessage {
  /** The `N` of "0/N nodes are available". */
  totalNodes: number | null;
  reasons: SchedulingReason[];
}

const PLACEMENT =
  /untolerated taint|had taint|node affinity|node selector|didn't match pod (anti-)?affinity|didn't satisfy existing pods anti-affinity|topology spread|were unschedulable|node\(s\) didn't match|didn't have free ports|node is not ready|node\(s\) were not ready/i;
const VOLUME =
  /PersistentVolumeClaim|volume node affinity|volume\(s\)|node\(s\) exceed max volume count|didn't find available persistent volumes|unbound/i;

export function categoryOf(reason: string): ObstacleCategory {
  if (/^Insufficient |Too many pods/i.test(reason)) return 'resources';
  if (VOLUME.test(reason)) return 'volume';
  if (PLACEMENT.test(reason)) return 'placement';
  return 'other';
}

/**
 * The scheduler's FailedScheduling message (as in the event and the PodScheduled condition)
 * broken into its reasons: "0/12 nodes are available: 8 Insufficient nvidia.com/gpu, 4 node(s)
 * had untolerated taint {dedicated: infer}. preemption: …". The preemption part repeats the
 * count and is left out.
 */
export function parseSchedulerMessage(message: string): SchedulerMessage {
  const head = message.split(/\.\s*preemption:/i)[0] ?? message;
  const total = /(\d+)\/(\d+) nodes are available/i.exec(head);
  const body = head.replace(/^.*?nodes are available:\s*/i, '').replace(/\.\s*$/, '');
  const reasons: SchedulingReason[] = [];
  const known = total !== null;
  // Reasons are ", "-separated, each led by its node count; braces (taints) never hold ", N ".
  for (const part of known ? body.split(/,\s*(?=\d+\s)/) : [body]) {
    const match = /^(\d+)\s+(.+)$/.exec(part.trim());
    const reason = (match ? match[2]! : part).trim().replace(/\.$/, '');
    if (!reason) continue;
    const entry: SchedulingReason = {
      nodes: match ? Number(match[1]) : total ? Number(total[2]) : 0,
      reason,
      category: categoryOf(reason),
    };
    const insufficient = /^Insufficient (\S+)/i.exec(reason);
    if (insufficient) entry.resource = insufficient[1]!;
    reasons.push(entry);
  }
  return { totalNodes: total ? Number(total[2]) : null, reasons };
}
