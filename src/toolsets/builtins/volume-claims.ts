import type { KubeObject } from '../../core/kube-object.js';
import { CONFIG_REFERENCE_MOUNT, podClaims } from '../diagnostics/pod-claims.js';
import {
  eventsAbout,
  listOrEmpty,
  minutesBetween,
  requireKube,
  textParam,
  workloadPods,
  type Json,
} from '../diagnostics/kube-reads.js';
import { cleanLine, readPodLogs } from '../diagnostics/read-pod-logs.js';
import type { BuiltinTool } from '../tool-context.js';

const DISK_ERROR = /No space left on device|ENOSPC|Disk quota exceeded|EDQUOT|Read-only file system|EROFS/i;
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/**
 * `volume_claims`: the storage of the workload's pods. Each PersistentVolumeClaim they mount with
 * its phase, StorageClass (and whether that class exists) and access modes; provisioning, mount
 * and attach failures from events (Multi-Attach with the pod that holds the volume); and disk-full
 * or read-only errors in the pods' logs. Mounts that fail on a missing ConfigMap or Secret are
 * left to the configuration check.
 */
export const volumeClaims: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const namespace = textParam(params, 'namespace');
  const { ours, request } = await workloadPods(kube, params);
  const mounted = new Map<string, Set<string>>();
  for (const pod of ours)
    for (const { claim } of podClaims(pod))
      mounted.set(claim, new Set([...(mounted.get(claim) ?? []), pod.metadata.name]));
  const podNames = new Set(ours.map((pod) => pod.metadata.name));
  const [claimList, classList, { events, request: eventsRequest }] = await Promise.all([
    namespace
      ? listOrEmpty(kube, 'PersistentVolumeClaim', { namespace })
      : Promise.resolve({ items: [], request: null, error: null }),
    listOrEmpty(kube, 'StorageClass'),
    eventsAbout(
      kube,
      namespace,
      (involved) =>
        (involved.kind === 'Pod' && podNames.has(String(involved.name))) ||
        (involved.kind === 'PersistentVolumeClaim' && mounted.has(String(involved.name))),
    ),
  ]);
  const classes = new Map(classList.items.map((item) => [item.metadata.name, item]));
  const defaultClass =
    classList.items.find((item) => item.metadata.annotations?.[DEFAULT_CLASS] === 'true')?.metadata.name ?? null;
  const claims = [...mounted.entries()].map(([name, pods]) => {
    const claim = claimList.items.find((item) => item.metadata.name === name) as KubeObject | undefined;
    const spec = (claim?.spec ?? {}) as Json;
    const storageClass: string | null = spec.storageClassName ?? (claim ? defaultClass : null);
    const claimEvents = events.filter(
      (event) =>
        event.involvedObject?.kind === 'PersistentVolumeClaim' &&
        event.involvedObject?.name === name &&
        event.type === 'Warning',
    );
    return {
      name,
      exists: claim !== undefined,
      phase: claim ? String((claim.status as Json | undefined)?.phase ?? 'Pending') : 'Missing',
      storageClass,
      // "" asks for no class (static binding); a class the cluster does not have never provisions.
      storageClassExists: storageClass === null || storageClass === '' ? null : classes.has(storageClass),
      accessModes: (spec.accessModes ?? []) as string[],
      pods: [...pods].sort(),
      minutesOld: minutesBetween(Date.parse(String(claim?.metadata.creationTimestamp ?? '')) || null, now.getTime()),
      problems: [...new Set(claimEvents.map((event) => `${event.reason}: ${String(event.message).slice(0, 200)}`))],
    };
  });
  const podEvents = events.filter(
    (event) =>
      event.involvedObject?.kind === 'Pod' &&
      ['FailedMount', 'FailedAttachVolume', 'FailedMapVolume'].includes(String(event.reason)) &&
      !CONFIG_REFERENCE_MOUNT.test(String(event.message)),
  );
  const mountFailures = podEvents.map((event) => ({
    pod: String(event.involvedObject.name),
    reason: String(event.reason),
    message: String(event.message).slice(0, 300),
  }));
  const multiAttach = podEvents.flatMap((event) => {
    const match = /Multi-Attach error for volume "([^"]+)"[\s\S]*?(?:used by pod\(s\) ([\w.,-]+))?$/i.exec(
      String(event.message),
    );
    return match ? [{ pod: String(event.involvedObject.name), volume: match[1]!, heldBy: match[2] ?? null }] : [];
  });
  const { logs, requests: logRequests } = await readPodLogs(kube, ours, { maxPods: 4, tailLines: 200, previous: true });
  const diskErrors = logs.flatMap((log) =>
    log.lines.filter((line) => DISK_ERROR.test(line)).map((line) => ({ pod: log.pod, line: cleanLine(line, 240) })),
  );
  const unbound = claims.filter((claim) => claim.phase !== 'Bound');
  const data = {
    podCount: ours.length,
    claims,
    unbound: unbound.map((claim) => claim.name),
    missingClasses: [
      ...new Set(claims.filter((claim) => claim.storageClassExists === false).map((claim) => claim.storageClass!)),
    ],
    provisioningFailures: unbound.flatMap((claim) => claim.problems.map((problem) => ({ claim: claim.name, problem }))),
    mountFailures,
    multiAttach,
    diskErrors: diskErrors.slice(-10),
  };
  const lines = [
    `${claims.length} claim(s) mounted by ${ours.length} pod(s) of the workload.`,
    ...claims.map(
      (claim) =>
        `  ${claim.name}: ${claim.phase}, class ${claim.storageClass ?? '(none)'}${claim.storageClassExists === false ? ' (does not exist)' : ''}, ${claim.accessModes.join(',')}; pods ${claim.pods.join(', ')}${claim.problems.length > 0 ? `\n    ${claim.problems.join('\n    ')}` : ''}`,
    ),
    ...mountFailures.slice(0, 5).map((failure) => `  ${failure.pod} ${failure.reason}: ${failure.message}`),
    ...data.diskErrors.slice(-3).map((error) => `  log ${error.pod}: ${error.line}`),
  ];
  return {
    status: claims.length === 0 && mountFailures.length === 0 && diskErrors.length === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests: [request, eventsRequest, ...(claimList.request ? [claimList.request] : []), ...logRequests],
    raw: [],
  };
};
