import type { KubeObject } from '../../core/kube-object.js';
import {
  containerStatuses,
  eventTimeMs,
  eventsAbout,
  minutesBetween,
  requireKube,
  textParam,
  workloadPods,
  type Json,
} from '../diagnostics/kube-reads.js';
import type { BuiltinTool } from '../tool-context.js';

type ProbeKind = 'liveness' | 'readiness' | 'startup';
const PROBES: Array<[ProbeKind, string]> = [
  ['liveness', 'livenessProbe'],
  ['readiness', 'readinessProbe'],
  ['startup', 'startupProbe'],
];

interface ProbeSpec {
  container: string;
  probe: ProbeKind;
  /** `GET /healthz :8000`, `tcp :http`, `exec cat /tmp/ready`, `grpc :9000`. */
  handler: string;
  path: string | null;
  port: string | null;
  /** Whether the port is one the container declares (by number or name); null for exec probes. */
  portDeclared: boolean | null;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** The API server's defaults for a probe's timing fields. */
function probeSpec(container: Json, probe: ProbeKind, body: Json): ProbeSpec {
  const ports = ((container.ports ?? []) as Json[]).flatMap((port) => [
    String(port.containerPort),
    String(port.name ?? ''),
  ]);
  const action = body.httpGet ?? body.tcpSocket ?? body.grpc;
  const port = action?.port !== undefined ? String(action.port) : null;
  const handler = body.httpGet
    ? `GET ${body.httpGet.path ?? '/'} :${port}`
    : body.tcpSocket
      ? `tcp :${port}`
      : body.grpc
        ? `grpc :${port}`
        : `exec ${((body.exec?.command ?? []) as string[]).join(' ').slice(0, 80)}`;
  return {
    container: String(container.name),
    probe,
    handler,
    path: body.httpGet?.path ?? null,
    port,
    // A container that declares no ports may still listen; only a declared list can be checked.
    portDeclared: port === null || ports.length === 0 ? null : ports.includes(port),
    initialDelaySeconds: Number(body.initialDelaySeconds ?? 0),
    periodSeconds: Number(body.periodSeconds ?? 10),
    timeoutSeconds: Number(body.timeoutSeconds ?? 1),
    failureThreshold: Number(body.failureThreshold ?? 3),
  };
}

/** Seconds a container may take to start before its liveness (or startup) probe kills it. */
function startBudget(probes: ProbeSpec[]): number | null {
  const gate = probes.find((probe) => probe.probe === 'startup') ?? probes.find((probe) => probe.probe === 'liveness');
  return gate ? gate.initialDelaySeconds + gate.periodSeconds * gate.failureThreshold : null;
}

function probeOf(message: string): ProbeKind | null {
  const match = /^(Liveness|Readiness|Startup) probe (failed|errored)/i.exec(message);
  return match ? (match[1]!.toLowerCase() as ProbeKind) : null;
}

/** What the probe got back, in a few words: the status code, a refused or timed-out connection, the output. */
export function probeOutcome(message: string): string {
  const text = message.replace(/^(Liveness|Readiness|Startup) probe (failed|errored):\s*/i, '');
  const code = /statuscode:\s*(\d{3})/i.exec(text);
  if (code) return `HTTP ${code[1]}`;
  if (/connection refused/i.test(text)) return 'connection refused';
  if (/context deadline exceeded|timeout|timed out/i.test(text)) return 'timeout';
  if (/connection reset|EOF/i.test(text)) return 'connection reset';
  return text.slice(0, 120);
}

/**
 * `probe_failures`: the probes of the workload's containers and how they fail. Unhealthy events
 * per probe with what the probe got back, restarts the kubelet made after failed liveness or
 * startup probes, each container's start budget (initialDelaySeconds + periodSeconds ×
 * failureThreshold of the startup or liveness probe) against how long its killed instances ran,
 * and the probe's port against the ports the container declares.
 */
export const probeFailures: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const now = context.now();
  const namespace = textParam(params, 'namespace');
  const { ours } = await workloadPods(kube, params);
  const names = new Set(ours.map((pod) => pod.metadata.name));
  const { events, request } = await eventsAbout(kube, namespace, (involved) => names.has(String(involved.name)));

  const probes = new Map<string, ProbeSpec>();
  const budgets = new Map<string, number | null>();
  for (const pod of ours) {
    for (const container of ((pod.spec as Json | undefined)?.containers ?? []) as Json[]) {
      const specs = PROBES.filter(([, field]) => container[field]).map(([kind, field]) =>
        probeSpec(container, kind, container[field]),
      );
      for (const spec of specs) probes.set(`${spec.container}/${spec.probe}`, spec);
      budgets.set(String(container.name), startBudget(specs));
    }
  }

  const failures = new Map<
    string,
    {
      pod: string;
      container: string | null;
      probe: ProbeKind;
      count: number;
      outcome: string;
      message: string;
      minutesAgo: number | null;
    }
  >();
  const kills = new Map<string, { pod: string; container: string | null; probe: ProbeKind; count: number }>();
  for (const event of events) {
    const message = String(event.message ?? '');
    const pod = String(event.involvedObject?.name);
    const container = /spec\.containers\{([^}]+)\}/.exec(String(event.involvedObject?.fieldPath ?? ''))?.[1] ?? null;
    const count = Number(event.count ?? event.series?.count ?? 1);
    const probe = event.reason === 'Unhealthy' ? probeOf(message) : null;
    if (probe) {
      const outcome = probeOutcome(message);
      const key = `${pod}/${probe}/${outcome}`;
      const known = failures.get(key);
      if (known) known.count += count;
      else
        failures.set(key, {
          pod,
          container,
          probe,
          count,
          outcome,
          message: message.slice(0, 300),
          minutesAgo: minutesBetween(eventTimeMs(event as KubeObject) || null, now.getTime()),
        });
    }
    const killed = /failed (liveness|startup) probe/i.exec(message);
    if (event.reason === 'Killing' && killed) {
      const kind = killed[1]!.toLowerCase() as ProbeKind;
      const key = `${pod}/${kind}`;
      const known = kills.get(key);
      if (known) known.count += count;
      else
        kills.set(key, {
          pod,
          container: /container (\S+) failed/i.exec(message)?.[1] ?? container,
          probe: kind,
          count,
        });
    }
  }

  const containers = ours.flatMap((pod) =>
    containerStatuses(pod).map((status) => {
      const terminated = (status.state?.terminated ?? status.lastState?.terminated) as Json | undefined;
      const started = Date.parse(String(terminated?.startedAt ?? ''));
      const finished = Date.parse(String(terminated?.finishedAt ?? ''));
      return {
        pod: pod.metadata.name,
        container: String(status.name),
        ready: status.ready === true,
        restarts: Number(status.restartCount ?? 0),
        exitCode: typeof terminated?.exitCode === 'number' ? terminated.exitCode : null,
        ranSeconds:
          Number.isFinite(started) && Number.isFinite(finished) ? Math.round((finished - started) / 1000) : null,
        startBudgetSeconds: budgets.get(String(status.name)) ?? null,
      };
    }),
  );
  const failureList = [...failures.values()].sort((left, right) => right.count - left.count);
  const killList = [...kills.values()].sort((left, right) => right.count - left.count);
  const killed = new Set(killList.map((kill) => kill.pod));
  const notReady = ours.filter((pod) =>
    (((pod.status as Json | undefined)?.conditions ?? []) as Json[]).some(
      (condition) => condition.type === 'Ready' && condition.status !== 'True',
    ),
  );
  // A container that exits by itself (not killed by its probe) fails its probes as a consequence.
  const crashed = containers.filter(
    (container) => container.exitCode !== null && container.exitCode !== 0 && !killed.has(container.pod),
  );
  const crashedPods = new Set(crashed.map((container) => container.pod));
  const data = {
    podCount: ours.length,
    notReady: notReady.length,
    /** Pods out of service while their containers run and did not crash: only the probe keeps them out. */
    unreadyRunning: notReady.filter(
      (pod) =>
        !crashedPods.has(pod.metadata.name) &&
        containerStatuses(pod).every((status) => status.state?.running !== undefined),
    ).length,
    crashedOnTheirOwn: crashed.map((container) => `${container.pod}/${container.container} exit ${container.exitCode}`),
    failures: failureList,
    kills: killList,
    probes: [...probes.values()],
    containers,
  };
  const lines = [
    `${data.notReady} of ${ours.length} pods not Ready; ${failureList.length === 0 ? 'no probe failures in events' : 'probe failures:'}`,
    ...failureList
      .slice(0, 10)
      .map(
        (failure) =>
          `  ${failure.pod}: ${failure.probe} ×${failure.count} — ${failure.outcome} (${failure.message.slice(0, 140)})`,
      ),
    ...killList.map((kill) => `  ${kill.pod}: restarted ×${kill.count} after failed ${kill.probe} probe`),
    ...[...probes.values()].map(
      (probe) =>
        `${probe.container} ${probe.probe}: ${probe.handler}, initialDelay ${probe.initialDelaySeconds}s, period ${probe.periodSeconds}s, timeout ${probe.timeoutSeconds}s, failureThreshold ${probe.failureThreshold}${probe.portDeclared === false ? ' — port not declared by the container' : ''}`,
    ),
  ];
  return {
    status: ours.length === 0 ? 'no_data' : 'success',
    text: lines.join('\n'),
    data,
    requests: [request],
    raw: [],
  };
};
