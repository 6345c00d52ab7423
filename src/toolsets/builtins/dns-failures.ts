import {
  listOrEmpty,
  minutesBetween,
  requireKube,
  textParam,
  workloadPods,
  alertStartOf,
  type Json,
} from '../diagnostics/kube-reads.js';
import { cleanLine, readPodLogs } from '../diagnostics/read-pod-logs.js';
import type { BuiltinTool } from '../tool-context.js';

type LookupFailure = 'nxdomain' | 'timeout';

/** Resolver errors as Go, glibc/Python, Node, Java and curl print them. */
const NXDOMAIN =
  /no such host|NXDOMAIN|Name or service not known|nodename nor servname provided|ENOTFOUND|Could not resolve host|UnknownHostException|Name does not resolve|Host not found/i;
const TIMEOUT =
  /lookup \S+ on \S+:53: (?:read udp \S+: )?i\/o timeout|:53: i\/o timeout|server misbehaving|Temporary failure in name resolution|EAI_AGAIN|getaddrinfo EAI_AGAIN|DNS (?:resolution|lookup|query) (?:timed out|timeout|failed)|SERVFAIL/i;
const HOST =
  /lookup ([A-Za-z0-9_.-]+)(?: on |: )|getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([A-Za-z0-9_.-]+)|Could not resolve host:? ([A-Za-z0-9_.-]+)|UnknownHostException:? ([A-Za-z0-9_.-]+)|host='?([A-Za-z0-9_.-]+)'?.*(?:Name or service not known|Temporary failure in name resolution)/i;
const SERVICE_NAME =
  /^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.svc(?:\.cluster\.local)?)?\.?$/;

export function lookupFailure(line: string): { kind: LookupFailure; host: string | null } | null {
  const kind: LookupFailure | null = TIMEOUT.test(line) ? 'timeout' : NXDOMAIN.test(line) ? 'nxdomain' : null;
  if (!kind) return null;
  const match = HOST.exec(line.replace(/\\"/g, '"'));
  const host = match ? (match.slice(1).find(Boolean) ?? null) : null;
  return { kind, host: host ? host.replace(/\.$/, '') : null };
}

/**
 * `dns_failures`: name resolution as the workload's logs show it. Failed lookups (NXDOMAIN, or
 * timeouts and SERVFAIL on port 53) per name; for in-cluster names whether the Service exists
 * (and the namespace's Services created since, a rename's other half); and the cluster DNS pods
 * (CoreDNS or kube-dns): ready, restarts.
 */
export const dnsFailures: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const startMs = alertStartOf(params, now);
  const { ours, request } = await workloadPods(kube, params);
  const { logs, requests } = await readPodLogs(kube, ours, { maxPods: 4, tailLines: 300, previous: true });
  let linesRead = 0;
  const hosts = new Map<string, { host: string; kind: LookupFailure; count: number }>();
  const counts = { nxdomain: 0, timeout: 0 };
  let sample: string | null = null;
  for (const log of logs)
    for (const line of log.lines) {
      linesRead += 1;
      const failure = lookupFailure(line);
      if (!failure) continue;
      counts[failure.kind] += 1;
      sample = cleanLine(line, 240);
      const key = `${failure.host ?? '?'}/${failure.kind}`;
      const known = hosts.get(key);
      if (known) known.count += 1;
      else hosts.set(key, { host: failure.host ?? '(name not in the line)', kind: failure.kind, count: 1 });
    }
  const failing = [...hosts.values()].sort((left, right) => right.count - left.count);

  // A name of the cluster that does not resolve: is the Service gone, and what was created instead?
  const missingServices = [];
  for (const entry of failing.filter((item) => item.kind === 'nxdomain').slice(0, 3)) {
    const match = SERVICE_NAME.exec(entry.host);
    if (!match || !/\.svc\b/.test(entry.host)) continue;
    const [, service, namespace] = match as unknown as [string, string, string];
    const found = await kube.get('Service', service, namespace).catch(() => null);
    if (!found || found.object) continue;
    requests.push(found.request);
    const others = await listOrEmpty(kube, 'Service', { namespace });
    missingServices.push({
      host: entry.host,
      service,
      namespace,
      // The Services of that namespace, newest first: a rename shows as one created near the onset.
      services: others.items
        .map((item) => ({
          name: item.metadata.name,
          minutesBeforeAlert: minutesBetween(
            Date.parse(String(item.metadata.creationTimestamp ?? '')) || null,
            startMs,
          ),
        }))
        .sort((left, right) => (left.minutesBeforeAlert ?? 1e9) - (right.minutesBeforeAlert ?? 1e9))
        .slice(0, 5),
    });
  }
  const dnsPods = await listOrEmpty(kube, 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' });
  const statuses = dnsPods.items.map((pod) => {
    const status = (pod.status ?? {}) as Json;
    return {
      pod: pod.metadata.name,
      ready: ((status.conditions ?? []) as Json[]).some(
        (condition) => condition.type === 'Ready' && condition.status === 'True',
      ),
      restarts: ((status.containerStatuses ?? []) as Json[]).reduce(
        (sum, entry) => sum + Number(entry.restartCount ?? 0),
        0,
      ),
    };
  });
  const data = {
    podsRead: new Set(logs.map((log) => log.pod)).size,
    linesRead,
    nxdomain: counts.nxdomain,
    timeouts: counts.timeout,
    failing: failing.slice(0, 8),
    missingServices,
    sample,
    clusterDns: {
      pods: statuses.length,
      ready: statuses.filter((entry) => entry.ready).length,
      restarts: statuses.reduce((sum, entry) => sum + entry.restarts, 0),
    },
  };
  const lines = [
    `${linesRead} log lines of ${data.podsRead} pod(s): ${counts.nxdomain} NXDOMAIN, ${counts.timeout} timeout/SERVFAIL lookups.`,
    ...failing.slice(0, 8).map((entry) => `  ${entry.host}: ${entry.kind} ×${entry.count}`),
    ...missingServices.map(
      (entry) =>
        `  Service ${entry.namespace}/${entry.service} does not exist; Services there now: ${entry.services.map((item) => `${item.name} (${item.minutesBeforeAlert} min before the alert)`).join(', ') || 'none'}`,
    ),
    `Cluster DNS: ${data.clusterDns.ready}/${data.clusterDns.pods} pods ready, ${data.clusterDns.restarts} restarts.`,
    ...(sample ? [`e.g. ${sample}`] : []),
  ];
  return {
    status: linesRead === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests: [request, ...requests],
    raw: [],
  };
};
