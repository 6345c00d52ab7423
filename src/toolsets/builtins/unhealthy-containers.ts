import { HolmesError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';
import { formatAge } from '../kube-age.js';
import {
  classifyContainerFailure,
  pullErrorCause,
  type FailureKind,
  type PullErrorKind,
} from '../kube-verbs/classify-container-failure.js';
import type { BuiltinTool } from '../tool-context.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One container that restarted, is waiting, or has terminated, with the log of its crashed instance. */
export interface UnhealthyContainer {
  namespace: string;
  pod: string;
  container: string;
  init: boolean;
  node: string | null;
  image: string;
  /** `resources.limits` of the container spec, as written (`memory: 2Gi`). */
  limits: Record<string, string>;
  restartCount: number;
  /** Current state: running, waiting or terminated. */
  state: string;
  waitingReason: string | null;
  waitingMessage: string | null;
  /** The last termination: the current one when the container is terminated now, else lastState. */
  lastTermination: {
    reason: string | null;
    exitCode: number | null;
    startedAt: string | null;
    finishedAt: string | null;
    ranSeconds: number | null;
    message: string | null;
  } | null;
  /** The log of the instance that terminated (`previous`), or of the current one when that is all there is. */
  log: { source: 'previous' | 'current'; lines: string[]; total: number } | null;
  logError: string | null;
  /** Why it fails (see classifyContainerFailure), and the line that says so. */
  failure: FailureKind | null;
  failureLine: string | null;
  /** Errors the terminated instance logged itself (a kernel OOM kill leaves none). */
  ownErrors: string[];
  /** For an image that cannot be pulled: the kubelet's last pull error and what it means. */
  pullError: { message: string; cause: string | null; kind: PullErrorKind | null } | null;
  /** The pod's imagePullSecrets, by name (Holmes never reads a Secret). */
  pullSecrets: string[];
}

const DEFAULT_TAIL = 40;
const DEFAULT_LOGS = 3;

function termination(status: Json): UnhealthyContainer['lastTermination'] {
  const terminated: Json | undefined = status.state?.terminated ?? status.lastState?.terminated;
  if (!terminated) return null;
  const started = Date.parse(String(terminated.startedAt ?? ''));
  const finished = Date.parse(String(terminated.finishedAt ?? ''));
  return {
    reason: terminated.reason ?? null,
    exitCode: typeof terminated.exitCode === 'number' ? terminated.exitCode : null,
    startedAt: terminated.startedAt ?? null,
    finishedAt: terminated.finishedAt ?? null,
    ranSeconds:
      Number.isFinite(started) && Number.isFinite(finished)
        ? Math.max(0, Math.round((finished - started) / 1000))
        : null,
    message: terminated.message ? String(terminated.message).slice(0, 1000) : null,
  };
}

/** Containers of a pod that are not simply running since their start: restarted, waiting or terminated (not Completed). */
function unhealthy(pod: KubeObject, containerPattern: RegExp | undefined): UnhealthyContainer[] {
  const spec = (pod.spec ?? {}) as Json;
  const status = (pod.status ?? {}) as Json;
  const found: UnhealthyContainer[] = [];
  const groups: Array<[Json[], Json[], boolean]> = [
    [status.initContainerStatuses ?? [], spec.initContainers ?? [], true],
    [status.containerStatuses ?? [], spec.containers ?? [], false],
  ];
  for (const [statuses, specs, init] of groups) {
    for (const entry of statuses) {
      const name = String(entry.name ?? '');
      if (containerPattern && !containerPattern.test(name)) continue;
      const state = Object.keys(entry.state ?? {})[0] ?? 'unknown';
      const last = termination(entry);
      const completedInit = init && state === 'terminated' && entry.state.terminated?.exitCode === 0;
      const restarted = Number(entry.restartCount ?? 0) > 0;
      const interesting =
        !completedInit &&
        (restarted || state === 'waiting' || (state === 'terminated' && entry.state.terminated?.exitCode !== 0));
      if (!interesting) continue;
      found.push({
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        container: name,
        init,
        node: spec.nodeName ?? null,
        image: String(entry.image ?? specs.find((item) => item.name === name)?.image ?? ''),
        limits: Object.fromEntries(
          Object.entries((specs.find((item) => item.name === name)?.resources?.limits ?? {}) as Json).map(
            ([key, value]) => [key, String(value)],
          ),
        ),
        restartCount: Number(entry.restartCount ?? 0),
        state,
        waitingReason: entry.state?.waiting?.reason ?? null,
        waitingMessage: entry.state?.waiting?.message ? String(entry.state.waiting.message).slice(0, 500) : null,
        lastTermination: last,
        log: null,
        logError: null,
        failure: null,
        failureLine: null,
        ownErrors: [],
        pullError: null,
        pullSecrets: ((spec.imagePullSecrets ?? []) as Json[])
          .map((secret) => String(secret.name ?? ''))
          .filter(Boolean),
      });
    }
  }
  return found;
}

async function readLog(
  kube: KubeClient,
  entry: UnhealthyContainer,
  tailLines: number,
  filter: RegExp | undefined,
): Promise<void> {
  const read = async (previous: boolean) => {
    const result = await kube.podLogs({
      namespace: entry.namespace,
      pod: entry.pod,
      container: entry.container,
      tailLines,
      ...(previous ? { previous: true } : {}),
    });
    return result.text.split('\n').filter((line) => line.length > 0);
  };
  try {
    let source: 'previous' | 'current' = 'previous';
    let lines: string[] = [];
    try {
      lines = await read(true);
    } catch (error) {
      entry.logError = (error as Error).message;
    }
    // While a crashed container waits to restart, its current log is still the crashed instance's.
    if (lines.length === 0 && entry.state !== 'running') {
      source = 'current';
      lines = await read(false);
      entry.logError = null;
    }
    const total = lines.length;
    if (filter) lines = lines.filter((line) => filter.test(line));
    entry.log = { source, lines: lines.map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)), total };
  } catch (error) {
    entry.logError = (error as Error).message;
  }
}

/** The kubelet's pull errors live in events (the waiting message only says "Back-off pulling image"). */
async function attachPullErrors(kube: KubeClient, entries: UnhealthyContainer[]): Promise<string[]> {
  const requests: string[] = [];
  for (const namespace of new Set(entries.map((entry) => entry.namespace))) {
    try {
      const events = await kube.events({ namespace });
      requests.push(events.request);
      for (const entry of entries.filter((item) => item.namespace === namespace)) {
        const messages = events.items
          .filter((event) => (event as Json).involvedObject?.name === entry.pod)
          .map((event) => String((event as Json).message ?? ''))
          .filter((message) => /pull|image/i.test(message));
        // "Failed to pull image …: <the registry's answer>" says why; "Error: ImagePullBackOff" does not.
        const failed = messages.filter((message) =>
          /failed to pull|rpc error|invalid image|couldn't parse/i.test(message),
        );
        const message = failed.at(-1) ?? messages.at(-1) ?? entry.waitingMessage ?? '';
        const said = pullErrorCause([...messages, message]);
        // The registry's answer ends the kubelet's message ("… failed to authorize: … 401 Unauthorized").
        const short = message.length > 300 ? `${message.slice(0, 110)} … ${message.slice(-185)}` : message;
        entry.pullError = { message: short, cause: said?.cause ?? null, kind: said?.kind ?? null };
      }
    } catch {
      // Events may be forbidden or expired: the waiting reason alone still says the pull fails.
    }
  }
  return requests;
}

/** `pod/container` names by failure kind, so checks read `failing.oomKilled` instead of filtering. */
function failingByKind(entries: UnhealthyContainer[]): Record<FailureKind, string[]> {
  const failing: Record<FailureKind, string[]> = {
    oomKilled: [],
    configError: [],
    configMissing: [],
    runtimeFault: [],
    imagePull: [],
    killed: [],
    crashed: [],
  };
  for (const entry of entries) {
    const name = `${entry.pod}/${entry.container}`;
    if (entry.failure && !failing[entry.failure].includes(name)) failing[entry.failure].push(name);
  }
  return failing;
}

function describe(entry: UnhealthyContainer, now: Date): string {
  const last = entry.lastTermination;
  const parts = [
    `${entry.namespace}/${entry.pod} ${entry.init ? 'init ' : ''}container ${entry.container}${entry.node ? ` on ${entry.node}` : ''}: ${entry.waitingReason ? `waiting ${entry.waitingReason}` : entry.state}`,
    `restarts ${entry.restartCount}`,
  ];
  if (entry.limits.memory) parts.push(`memory limit ${entry.limits.memory}`);
  if (last) {
    parts.push(
      `last terminated ${last.reason ?? '?'} exit ${last.exitCode ?? '?'} ${formatAge(last.finishedAt ?? undefined, now)} ago${last.ranSeconds !== null ? ` after running ${last.ranSeconds}s` : ''}`,
    );
  }
  if (entry.waitingMessage && !/^back-off/i.test(entry.waitingMessage)) parts.push(entry.waitingMessage.slice(0, 200));
  if (last?.message) parts.push(`message: ${last.message.slice(0, 200)}`);
  if (entry.failure)
    parts.push(`failure: ${entry.failure}${entry.failureLine ? ` (${entry.failureLine.slice(0, 160)})` : ''}`);
  if (entry.pullError) parts.push(`pull error: ${entry.pullError.cause ?? entry.pullError.message.slice(0, 200)}`);
  const lines = [parts.join('; ')];
  if (entry.log)
    lines.push(
      entry.log.lines.length > 0
        ? `  log (${entry.log.source} instance, last ${entry.log.lines.length} of ${entry.log.total} lines):\n${entry.log.lines.map((line) => `    ${line}`).join('\n')}`
        : `  log (${entry.log.source} instance): no${entry.log.total > 0 ? ' matching' : ''} lines`,
    );
  else if (entry.logError) lines.push(`  log not read: ${entry.logError.slice(0, 200)}`);
  return lines.join('\n');
}

/**
 * `unhealthy_containers`: the containers of a namespace (or of some pods) that restarted, crash-loop
 * or cannot start, with their last termination and the tail of the crashed instance's log — the
 * `kubectl describe` and `kubectl logs --previous` of every such container in one call.
 */
export const unhealthyContainers: BuiltinTool = async (params, context) => {
  const kube = context.kube;
  if (!kube)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Kubernetes access is configured.', {
      fix: 'Set kubernetes.kubeconfig, kubernetes.inCluster or kubernetes.server.',
    });
  const now = context.now();
  const text = (name: string) =>
    typeof params[name] === 'string' && params[name] !== '' ? (params[name] as string) : undefined;
  const namespace = text('namespace');
  // Regexes match whole names, as PromQL's =~ does, so an alternation of pod names selects exactly those pods.
  const podPattern = text('pod') ? new RegExp(`^(?:${text('pod')})$`) : undefined;
  const containerPattern = text('container') ? new RegExp(`^(?:${text('container')})$`) : undefined;
  const filter = text('filter') ? new RegExp(text('filter')!, 'i') : undefined;
  const sinceMs = text('since') ? parseDuration(text('since')!) : undefined;
  const tailLines = typeof params.tail_lines === 'number' ? params.tail_lines : DEFAULT_TAIL;
  const logCount = typeof params.top_k === 'number' ? params.top_k : DEFAULT_LOGS;

  const list = await kube.list('Pod', namespace ? { namespace } : {});
  const pods = list.items.filter((pod) => !podPattern || podPattern.test(pod.metadata.name));
  let found = pods.flatMap((pod) => unhealthy(pod, containerPattern));
  if (sinceMs !== undefined) {
    // A container waiting now is current; one that only restarted long ago is not.
    found = found.filter(
      (entry) =>
        entry.state !== 'running' ||
        (entry.lastTermination?.finishedAt && now.getTime() - Date.parse(entry.lastTermination.finishedAt) <= sinceMs),
    );
  }
  const finished = (entry: UnhealthyContainer) => Date.parse(entry.lastTermination?.finishedAt ?? '') || 0;
  found.sort((left, right) => finished(right) - finished(left) || left.pod.localeCompare(right.pod));
  const withTermination = found.filter((entry) => entry.lastTermination !== null).slice(0, logCount);
  const requests = [list.request];
  await Promise.all(withTermination.map((entry) => readLog(kube, entry, tailLines, filter)));
  for (const entry of found) {
    const verdict = classifyContainerFailure({ ...entry, logLines: entry.log?.lines ?? [] });
    Object.assign(entry, { failure: verdict.kind, failureLine: verdict.line, ownErrors: verdict.ownErrors });
  }
  const pulling = found.filter((entry) => entry.failure === 'imagePull');
  if (pulling.length > 0) requests.push(...(await attachPullErrors(kube, pulling)));
  for (const entry of withTermination)
    requests.push(
      `/api/v1/namespaces/${entry.namespace}/pods/${entry.pod}/log?container=${entry.container}&previous=true&tailLines=${tailLines}`,
    );
  // Echoed clipped: an alternation of many pod names (or a hostile label) is not worth its tokens.
  const clip = (value: string) => (value.length > 120 ? `${value.slice(0, 120)}…` : value);
  const scope = `${namespace ? `namespace ${clip(namespace)}` : 'all namespaces'}${podPattern ? `, pods /${clip(text('pod')!)}/` : ''}`;
  return {
    status: found.length === 0 ? 'no_data' : 'success',
    text:
      found.length === 0
        ? `No restarted, waiting or failed containers among ${pods.length} pods (${scope}).`
        : `${found.length} unhealthy containers among ${pods.length} pods (${scope}), latest termination first:\n${found.map((entry) => describe(entry, now)).join('\n')}`,
    data: { containers: found, podCount: pods.length, failing: failingByKind(found) },
    requests,
    raw: [list.raw],
  };
};
