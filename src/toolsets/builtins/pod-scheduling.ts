import type { KubeObject } from '../../core/kube-object.js';
import { parseQuantity } from '../diagnostics/kube-quantity.js';
import {
  eventsAbout,
  listOrEmpty,
  minutesBetween,
  ownerName,
  requireKube,
  textParam,
  workloadPods,
  type Json,
} from '../diagnostics/kube-reads.js';
import { parseSchedulerMessage, type SchedulingReason } from '../diagnostics/scheduler-message.js';
import type { BuiltinTool } from '../tool-context.js';

interface Holder {
  namespace: string;
  pod: string;
  owner: string | null;
  node: string;
  count: number;
  minutesHeld: number | null;
}

interface ResourceSupply {
  resource: string;
  /** What one pending pod asks for. */
  requestedPerPod: number;
  nodesOffering: number;
  allocatable: number;
  requested: number;
  free: number;
  /** Resources of the same vendor that nodes offer instead (another MIG profile, whole GPUs). */
  offeredInstead: string[];
  /** Other workloads' pods holding it, most first. */
  holders: Holder[];
}

/** The requests of a pod as the scheduler counts them: the sum of its containers (init containers run before). */
function podRequests(pod: KubeObject): Map<string, number> {
  const spec = (pod.spec ?? {}) as Json;
  const total = new Map<string, number>();
  for (const container of (spec.containers ?? []) as Json[]) {
    const resources = { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) } as Json;
    for (const [name, value] of Object.entries(resources)) {
      const amount = parseQuantity(value);
      if (amount !== null) total.set(name, (total.get(name) ?? 0) + amount);
    }
  }
  return total;
}

function vendorOf(resource: string): string | null {
  const slash = resource.indexOf('/');
  return slash === -1 ? null : resource.slice(0, slash);
}

function supplyOf(
  resource: string,
  requestedPerPod: number,
  nodes: KubeObject[],
  running: KubeObject[],
  isOurs: (pod: KubeObject) => boolean,
  nowMs: number,
): ResourceSupply {
  const allocatableOf = (node: KubeObject) =>
    parseQuantity(((node.status as Json | undefined)?.allocatable ?? {})[resource]) ?? 0;
  const offering = nodes.filter((node) => allocatableOf(node) > 0);
  const offeringNames = new Set(offering.map((node) => node.metadata.name));
  const holders: Holder[] = [];
  let requested = 0;
  for (const pod of running) {
    const node = String((pod.spec as Json | undefined)?.nodeName ?? '');
    if (!offeringNames.has(node)) continue;
    const count = podRequests(pod).get(resource) ?? 0;
    if (count <= 0) continue;
    requested += count;
    if (isOurs(pod)) continue;
    const started = Date.parse(String((pod.status as Json | undefined)?.startTime ?? pod.metadata.creationTimestamp));
    holders.push({
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name,
      owner: ownerName(pod),
      node,
      count,
      minutesHeld: minutesBetween(Number.isFinite(started) ? started : null, nowMs),
    });
  }
  holders.sort((left, right) => right.count - left.count || left.pod.localeCompare(right.pod));
  const allocatable = offering.reduce((sum, node) => sum + allocatableOf(node), 0);
  const vendor = vendorOf(resource);
  const offeredInstead = vendor
    ? [
        ...new Set(
          nodes.flatMap((node) =>
            Object.entries(((node.status as Json | undefined)?.allocatable ?? {}) as Json)
              .filter(
                ([name, value]) => name !== resource && vendorOf(name) === vendor && (parseQuantity(value) ?? 0) > 0,
              )
              .map(([name]) => name),
          ),
        ),
      ].sort()
    : [];
  return {
    resource,
    requestedPerPod,
    nodesOffering: offering.length,
    allocatable,
    requested,
    free: Math.max(0, allocatable - requested),
    offeredInstead,
    holders: holders.slice(0, 10),
  };
}

/** Quotas of the namespace whose use has reached their hard limit for some resource. */
function fullQuotas(quotas: KubeObject[]) {
  const full: Array<{ quota: string; resource: string; used: string; hard: string }> = [];
  for (const quota of quotas) {
    const status = (quota.status ?? {}) as Json;
    for (const [resource, hard] of Object.entries((status.hard ?? {}) as Json)) {
      const used = (status.used ?? {})[resource];
      const usedAmount = parseQuantity(used);
      const hardAmount = parseQuantity(hard);
      if (usedAmount !== null && hardAmount !== null && usedAmount >= hardAmount)
        full.push({ quota: quota.metadata.name, resource, used: String(used), hard: String(hard) });
    }
  }
  return full;
}

/**
 * `pod_scheduling`: why the workload's pods stay Pending. The scheduler's reasons (FailedScheduling
 * and the PodScheduled condition) broken down by node count and kind (resources, placement,
 * volume); for each resource it lacks, what nodes offer, what is requested and who holds it; and
 * the namespace's ResourceQuotas that are full, with the pods a controller could not create.
 */
export const podScheduling: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const namespace = textParam(params, 'namespace');
  const workload = textParam(params, 'workload');
  const { ours } = await workloadPods(kube, params);
  const ourNames = new Set(ours.map((pod) => pod.metadata.name));
  const { events, request: eventsRequest } = await eventsAbout(
    kube,
    namespace,
    (involved) =>
      ourNames.has(String(involved.name)) ||
      (workload !== undefined && String(involved.name ?? '').startsWith(workload) && involved.kind !== 'Pod'),
  );
  const requests = [eventsRequest];

  const pending = ours
    .filter((pod) => (pod.status as Json | undefined)?.phase === 'Pending' && !(pod.spec as Json | undefined)?.nodeName)
    .map((pod) => {
      const condition = (((pod.status as Json | undefined)?.conditions ?? []) as Json[]).find(
        (entry) => entry.type === 'PodScheduled' && entry.status === 'False',
      );
      const event = events.find(
        (entry) => entry.reason === 'FailedScheduling' && entry.involvedObject?.name === pod.metadata.name,
      );
      const message = String(event?.message ?? condition?.message ?? '');
      const created = Date.parse(String(pod.metadata.creationTimestamp ?? ''));
      return {
        pod: pod.metadata.name,
        minutesPending: minutesBetween(Number.isFinite(created) ? created : null, now.getTime()),
        message: message.slice(0, 400),
        parsed: parseSchedulerMessage(message),
        requests: podRequests(pod),
      };
    });
  const byReason = new Map<string, SchedulingReason>();
  for (const entry of pending)
    for (const reason of entry.parsed.reasons) {
      const known = byReason.get(reason.reason);
      if (!known || known.nodes < reason.nodes) byReason.set(reason.reason, reason);
    }
  const reasons = [...byReason.values()].sort((left, right) => right.nodes - left.nodes);

  const insufficient = reasons.filter((reason) => reason.resource);
  let resources: ResourceSupply[] = [];
  if (insufficient.length > 0) {
    const nodes = await kube.list('Node');
    const running = await kube.list('Pod', { fieldSelector: 'status.phase=Running' });
    requests.push(nodes.request, running.request);
    const isOurs = (pod: KubeObject) => pod.metadata.namespace === namespace && ourNames.has(pod.metadata.name);
    resources = insufficient.map((reason) =>
      supplyOf(
        reason.resource!,
        Math.max(0, ...pending.map((entry) => entry.requests.get(reason.resource!) ?? 0)),
        nodes.items,
        running.items.filter((pod) => (pod.status as Json | undefined)?.phase === 'Running'),
        isOurs,
        now.getTime(),
      ),
    );
  }

  const quotas = namespace ? await listOrEmpty(kube, 'ResourceQuota', { namespace }) : { items: [], request: null };
  if (quotas.request) requests.push(quotas.request);
  const quotaDenials = [
    ...new Set(
      events
        .filter((event) => event.reason === 'FailedCreate' && /exceeded quota/i.test(String(event.message)))
        .map((event) => String(event.message).slice(0, 300)),
    ),
  ];
  const full = fullQuotas(quotas.items);
  const categories = [...new Set(reasons.map((reason) => reason.category))];
  const data = {
    podCount: ours.length,
    pendingCount: pending.length,
    pending: pending.map(({ pod, minutesPending, message }) => ({ pod, minutesPending, message })),
    totalNodes: pending.find((entry) => entry.parsed.totalNodes !== null)?.parsed.totalNodes ?? null,
    reasons,
    categories,
    resources,
    fullQuotas: full,
    quotaDenials,
  };
  const lines = [
    `${pending.length} of ${ours.length} pods of ${workload ?? 'the workload'} are Pending unscheduled${quotaDenials.length > 0 ? `; ${quotaDenials.length} pod creations refused by quota` : ''}.`,
    ...reasons.map((reason) => `  ${reason.nodes} node(s): ${reason.reason} [${reason.category}]`),
    ...resources.map(
      (supply) =>
        `${supply.resource}: ${supply.nodesOffering} node(s) offer ${supply.allocatable}, ${supply.requested} requested, ${supply.free} free; each pending pod asks ${supply.requestedPerPod}${supply.offeredInstead.length > 0 ? `; nodes offer instead: ${supply.offeredInstead.join(', ')}` : ''}${supply.holders.length > 0 ? `\n  held by: ${supply.holders.map((holder) => `${holder.namespace}/${holder.pod} (${holder.count} on ${holder.node}${holder.minutesHeld !== null ? `, ${holder.minutesHeld} min` : ''})`).join(', ')}` : ''}`,
    ),
    ...full.map((quota) => `ResourceQuota ${quota.quota}: ${quota.resource} used ${quota.used} of ${quota.hard}`),
    ...quotaDenials.map((message) => `  ${message}`),
  ];
  return {
    status: pending.length === 0 && quotaDenials.length === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests,
    raw: [],
  };
};
