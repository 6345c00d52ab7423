import type { KubeObject } from '../../core/kube-object.js';
import {
  alertStartOf,
  changedAtMs,
  listOrEmpty,
  minutesBetween,
  requireKube,
  textParam,
  workloadPods,
  type Json,
} from '../diagnostics/kube-reads.js';
import { describeSelector, matchesSelector, type LabelSelector } from '../diagnostics/label-selector-match.js';
import { cleanLine, readPodLogs } from '../diagnostics/read-pod-logs.js';
import type { BuiltinTool } from '../tool-context.js';

/** Connections that never complete (a dropped SYN), as clients print them; DNS (port 53) is left to its own check. */
const CONNECT_TIMEOUT =
  /connect(?:ion)? timed out|ConnectTimeout|Timeout connecting|connection timeout|dial tcp [^ ]+:(?!53\b)\d+: (?:i\/o timeout|connect: connection timed out)|ETIMEDOUT|upstream connect error[\s\S]*?timeout|context deadline exceeded[\s\S]*?dial|No route to host|EHOSTUNREACH/i;
const DESTINATION = /(?:dial tcp |connecting to |url=|https?:\/\/)([A-Za-z0-9_.-]+(?::\d+)?)/i;

interface Peer {
  description: string;
  /** Namespaces (names) the peer's selectors let through; null for an ipBlock. */
  namespaces: string[] | null;
  /** Pods the peer's podSelector selects now, across those namespaces; null without one. */
  pods: number | null;
  /** The peer selects no namespace, or no pod: the rule lets no one through. */
  empty: boolean;
}

function describePorts(rule: Json): string {
  const ports = (rule.ports ?? []) as Json[];
  return ports.length === 0
    ? 'all ports'
    : ports.map((port) => `${port.port ?? '*'}/${port.protocol ?? 'TCP'}`).join(',');
}

function peersOf(
  rule: Json,
  direction: 'ingress' | 'egress',
  own: string,
  namespaces: KubeObject[],
  pods: KubeObject[],
): Peer[] {
  const entries = (rule[direction === 'ingress' ? 'from' : 'to'] ?? []) as Json[];
  if (entries.length === 0) return [{ description: 'anywhere', namespaces: null, pods: null, empty: false }];
  return entries.map((peer) => {
    if (peer.ipBlock)
      return {
        description: `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except ? ` except ${peer.ipBlock.except.join(',')}` : ''}`,
        namespaces: null,
        pods: null,
        empty: false,
      };
    const namespaceSelector = peer.namespaceSelector as LabelSelector | undefined;
    const podSelector = peer.podSelector as LabelSelector | undefined;
    const matched = namespaceSelector
      ? namespaces
          .filter((item) => matchesSelector(namespaceSelector, item.metadata.labels))
          .map((item) => item.metadata.name)
      : [own];
    const selected = pods.filter(
      (pod) =>
        matched.includes(pod.metadata.namespace ?? '') &&
        (!podSelector || matchesSelector(podSelector, pod.metadata.labels)),
    ).length;
    const description = [
      namespaceSelector ? `namespaces ${describeSelector(namespaceSelector)}` : null,
      podSelector ? `pods ${describeSelector(podSelector)}` : null,
    ]
      .filter(Boolean)
      .join(' and ');
    return {
      description,
      namespaces: matched,
      pods: podSelector ? selected : null,
      empty: matched.length === 0 || (podSelector !== undefined && selected === 0),
    };
  });
}

/**
 * `network_policies`: the NetworkPolicies that select the workload's pods. For each, its
 * direction, rules (peers with the namespaces and pods they select now, ports), when it last
 * changed against the alert, peers that select nothing (a rule that lets no one through), and
 * whether it isolates egress to DNS only. Also connection timeouts in the pods' logs and the
 * destinations they name.
 */
export const networkPolicies: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const startMs = alertStartOf(params, now);
  const namespace = textParam(params, 'namespace') ?? '';
  const { ours, request } = await workloadPods(kube, params);
  const [policies, namespaces, allPods] = await Promise.all([
    listOrEmpty(kube, 'NetworkPolicy', { namespace }),
    listOrEmpty(kube, 'Namespace'),
    listOrEmpty(kube, 'Pod'),
  ]);
  const selecting = policies.items.filter((policy) =>
    ours.some((pod) => matchesSelector((policy.spec as Json | undefined)?.podSelector ?? {}, pod.metadata.labels)),
  );
  const described = selecting.map((policy) => {
    const spec = (policy.spec ?? {}) as Json;
    const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    const rules = (direction: 'ingress' | 'egress') =>
      ((spec[direction] ?? []) as Json[]).map((rule) => ({
        peers: peersOf(rule, direction, namespace, namespaces.items, allPods.items),
        ports: describePorts(rule),
      }));
    const ingress = rules('ingress');
    const egress = rules('egress');
    const deadPeers = [...ingress, ...egress].flatMap((rule) =>
      rule.peers.filter((peer) => peer.empty).map((peer) => `${peer.description} (${rule.ports})`),
    );
    const egressDnsOnly = types.includes('Egress') && egress.every((rule) => /^(53\/(UDP|TCP),?)+$/.test(rule.ports));
    return {
      name: policy.metadata.name,
      types,
      changedMinutesBeforeAlert: minutesBetween(changedAtMs(policy), startMs),
      ingress: ingress.map((rule) => `${rule.peers.map((peer) => peer.description).join(' | ')} → ${rule.ports}`),
      egress: egress.map((rule) => `${rule.peers.map((peer) => peer.description).join(' | ')} → ${rule.ports}`),
      deadPeers,
      denyAllIngress: types.includes('Ingress') && ingress.length === 0,
      denyAllEgress: types.includes('Egress') && egress.length === 0,
      egressDnsOnly,
    };
  });
  const { logs, requests } = await readPodLogs(kube, ours, { maxPods: 4, tailLines: 300 });
  const timeouts = logs.flatMap((log) => log.lines.filter((line) => CONNECT_TIMEOUT.test(line)));
  const destinations = new Map<string, number>();
  for (const line of timeouts) {
    const destination = DESTINATION.exec(line.replace(/\\"/g, '"'))?.[1];
    if (destination) destinations.set(destination, (destinations.get(destination) ?? 0) + 1);
  }
  const data = {
    podCount: ours.length,
    policies: described,
    isolated: {
      ingress: described.some((policy) => policy.types.includes('Ingress')),
      egress: described.some((policy) => policy.types.includes('Egress')),
    },
    timeouts: timeouts.length,
    destinations: [...destinations.entries()]
      .sort((left, right) => right[1] - left[1])
      .slice(0, 5)
      .map(([name]) => name),
    sample: timeouts.length > 0 ? cleanLine(timeouts.at(-1)!, 240) : null,
  };
  const lines = [
    `${described.length} NetworkPolic${described.length === 1 ? 'y selects' : 'ies select'} the workload's ${ours.length} pod(s)${policies.error ? ` (policies not readable: ${policies.error})` : ''}.`,
    ...described.map(
      (policy) =>
        `  ${policy.name} [${policy.types.join(',')}], changed ${policy.changedMinutesBeforeAlert ?? '?'} min before the alert${policy.denyAllEgress ? '; denies all egress' : policy.egressDnsOnly ? '; egress to DNS only' : ''}${policy.denyAllIngress ? '; denies all ingress' : ''}${policy.ingress.length > 0 ? `\n    ingress: ${policy.ingress.join('; ')}` : ''}${policy.egress.length > 0 ? `\n    egress: ${policy.egress.join('; ')}` : ''}${policy.deadPeers.length > 0 ? `\n    selects no one: ${policy.deadPeers.join('; ')}` : ''}`,
    ),
    `${timeouts.length} connection timeouts in the logs${data.destinations.length > 0 ? ` (to ${data.destinations.join(', ')})` : ''}.`,
  ];
  return {
    status: ours.length === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests: [request, ...(policies.request ? [policies.request] : []), ...requests],
    raw: [],
  };
};
