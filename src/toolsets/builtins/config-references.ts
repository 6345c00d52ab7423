import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';
import {
  containerStatuses,
  eventsAbout,
  listOrEmpty,
  minutesBetween,
  requireKube,
  textParam,
  workloadPods,
  type Json,
} from '../diagnostics/kube-reads.js';
import { readPodLogs } from '../diagnostics/read-pod-logs.js';
import { failingUpstreams, servicePods } from '../diagnostics/upstream-services.js';
import type { BuiltinTool } from '../tool-context.js';

/** What a pod can reference for its environment or volumes (the names only: Secrets are never read). */
type ReferenceKind = 'Secret' | 'ConfigMap';

interface MissingReference {
  kind: ReferenceKind;
  namespace: string;
  name: string;
  key: string | null;
}

/** The object (and key) a kubelet message says is missing: `secret "x" not found`, `couldn't find key K in ConfigMap ns/name`. */
export function missingReference(message: string, namespace: string): MissingReference | null {
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) ([\w.-]+)\/([\w.-]+)/i.exec(message);
  if (key)
    return {
      kind: key[2]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap',
      namespace: key[3]!,
      name: key[4]!,
      key: key[1]!,
    };
  const object = /\b(secret|configmap)s? "([^"]+)" not found/i.exec(message);
  if (object)
    return {
      kind: object[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap',
      namespace,
      name: object[2]!,
      key: null,
    };
  return null;
}

/** The pods that cannot start for a missing reference, and which reference. */
async function blockedPods(kube: KubeClient, pods: KubeObject[], namespace: string) {
  const names = new Set(pods.map((pod) => pod.metadata.name));
  const { events, request } = await eventsAbout(kube, namespace, (involved) => names.has(String(involved.name)));
  const blocked: Array<MissingReference & { pod: string; container: string | null; message: string }> = [];
  for (const pod of pods) {
    const seen = new Set<string>();
    const add = (message: string, container: string | null) => {
      const reference = missingReference(message, pod.metadata.namespace ?? namespace);
      const key = reference && `${reference.kind}/${reference.name}/${reference.key}`;
      if (!reference || seen.has(key!)) return;
      seen.add(key!);
      blocked.push({ ...reference, pod: pod.metadata.name, container, message: message.slice(0, 240) });
    };
    for (const status of containerStatuses(pod))
      if (status.state?.waiting?.reason === 'CreateContainerConfigError')
        add(String(status.state.waiting.message ?? ''), String(status.name));
    for (const event of events)
      if (event.involvedObject?.name === pod.metadata.name && ['Failed', 'FailedMount'].includes(String(event.reason)))
        add(String(event.message ?? ''), null);
  }
  return { blocked, request };
}

/**
 * `config_references`: Secrets, ConfigMaps and keys that the workload's containers reference but
 * that do not exist, so the kubelet cannot create them (CreateContainerConfigError, or a volume
 * that never mounts). For a missing ConfigMap: whether it exists in another namespace and which
 * keys it has; for a Secret (never read): the ExternalSecrets of the namespace and the Secrets
 * they produce. When the workload's own pods are fine, the in-cluster services its failing calls
 * name in its logs are checked the same way (their pods are the ones that cannot start).
 */
export const configReferences: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const namespace = textParam(params, 'namespace') ?? '';
  const { ours, request } = await workloadPods(kube, params);
  const requests = [request];
  const own = await blockedPods(kube, ours, namespace);
  requests.push(own.request);
  let blocked = own.blocked.map((entry) => ({ ...entry, via: null as string | null }));
  const checked: string[] = [];
  if (blocked.length === 0 && ours.length > 0) {
    // The alert's pods start; what they call may not. Follow the services their failing calls name.
    const { logs, requests: logRequests } = await readPodLogs(kube, ours, { maxPods: 3, tailLines: 200 });
    requests.push(...logRequests);
    for (const upstream of failingUpstreams(logs).slice(0, 3)) {
      const pods = await servicePods(kube, upstream.namespace, upstream.service);
      checked.push(`${upstream.service}.${upstream.namespace}`);
      const found = await blockedPods(kube, pods, upstream.namespace);
      requests.push(found.request);
      blocked.push(...found.blocked.map((entry) => ({ ...entry, via: `${upstream.service}.${upstream.namespace}` })));
    }
  }
  blocked = blocked.slice(0, 50);
  const distinct = new Map<string, (typeof blocked)[number] & { pods: Set<string> }>();
  for (const entry of blocked) {
    const key = `${entry.kind}/${entry.namespace}/${entry.name}/${entry.key}`;
    const known = distinct.get(key);
    if (known) known.pods.add(entry.pod);
    else distinct.set(key, { ...entry, pods: new Set([entry.pod]) });
  }
  const references = await Promise.all(
    [...distinct.values()].map(async ({ kind, namespace: where, name, key, pods, via }) => {
      const reference = { kind, namespace: where, name, key, pods: pods.size, via };
      // A Secret is never read, not even to see whether it exists: its absence is the kubelet's word.
      if (kind === 'Secret') return { ...reference, exists: null, keys: [], elsewhere: [] };
      const here = await kube.get('ConfigMap', name, where).catch(() => null);
      const same = await listOrEmpty(kube, 'ConfigMap', { fieldSelector: `metadata.name=${name}` });
      return {
        ...reference,
        exists: here ? here.object !== null : null,
        keys: Object.keys(((here?.object as Json | null)?.data ?? {}) as Json).sort(),
        elsewhere: same.items
          .map((item) => item.metadata.namespace ?? '')
          .filter((other) => other !== where)
          .sort(),
      };
    }),
  );
  const secretNamespaces = [
    ...new Set(references.filter((entry) => entry.kind === 'Secret').map((entry) => entry.namespace)),
  ];
  const externalSecrets = (
    await Promise.all(secretNamespaces.map((ns) => listOrEmpty(kube, 'ExternalSecret', { namespace: ns })))
  ).flatMap((result) =>
    result.items.map((item) => ({
      name: item.metadata.name,
      namespace: item.metadata.namespace ?? '',
      target: String((item.spec as Json | undefined)?.target?.name ?? item.metadata.name),
      minutesOld: minutesBetween(Date.parse(String(item.metadata.creationTimestamp ?? '')) || null, now.getTime()),
      ready:
        (((item.status as Json | undefined)?.conditions ?? []) as Json[]).find(
          (condition) => condition.type === 'Ready',
        )?.status === 'True',
    })),
  );
  const data = {
    podCount: ours.length,
    blockedPods: new Set(blocked.map((entry) => `${entry.via ?? ''}/${entry.pod}`)).size,
    references,
    externalSecrets,
    upstreamsChecked: checked,
  };
  const lines = [
    references.length === 0
      ? `No pod of the workload${checked.length > 0 ? ` or of ${checked.join(', ')}` : ''} waits on a missing Secret, ConfigMap or key.`
      : `${data.blockedPods} pod(s) cannot start on a missing reference:`,
    ...references.map(
      (entry) =>
        `  ${entry.kind} ${entry.namespace}/${entry.name}${entry.key ? ` key ${entry.key}` : ''} (${entry.pods} pod(s)${entry.via ? `, of ${entry.via}` : ''})${entry.kind === 'ConfigMap' ? (entry.exists ? `: exists, keys ${entry.keys.join(', ') || '(none)'}` : `: does not exist${entry.elsewhere.length > 0 ? `; found in ${entry.elsewhere.join(', ')}` : ''}`) : ''}`,
    ),
    ...externalSecrets.map(
      (secret) =>
        `  ExternalSecret ${secret.namespace}/${secret.name} → Secret ${secret.target} (${secret.minutesOld} min old, ${secret.ready ? 'synced' : 'not synced'})`,
    ),
  ];
  return {
    status: references.length === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests,
    raw: [],
  };
};
