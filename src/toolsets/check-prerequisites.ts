import type { KubeClient } from '../telemetry/kube-types.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import type { Prerequisite } from './toolset-schema.js';

export interface PrerequisiteProbe {
  prometheus: PrometheusClient | undefined;
  kube: KubeClient | undefined;
}

export interface PrerequisiteProblem {
  reason: string;
  unreachable: boolean;
}

export interface SourceStatus {
  source: 'prometheus' | 'kubernetes';
  /** `not-configured` is a choice, not a failure; `unknown` until the first answer is in. */
  status: 'ok' | 'failing' | 'not-configured' | 'unknown';
  reason?: string;
  /** When this answer was obtained (ISO 8601). */
  checkedAt?: string;
}

export interface SourceProbeOptions {
  /** How long an answer of a reachable source is reused. */
  okForMs?: number;
  /** How long a failure is reused: short, so a source that comes back is seen soon. */
  failingForMs?: number;
  /** A source that accepts connections and never answers is failing after this long. */
  probeTimeoutMs?: number;
  now?: () => number;
}

const OK_FOR_MS = 30_000;
const FAILING_FOR_MS = 5_000;
export const PROBE_TIMEOUT_MS = 5_000;

/**
 * One answer, reused while fresh and shared by concurrent callers, asked again once stale: a
 * source down at start is seen again when it comes back. `last` is the latest answer already in.
 */
function cached<T>(ask: () => Promise<T>, failed: (value: T) => boolean, options: Required<SourceProbeOptions>) {
  let current: { value: Promise<T>; until: number } | undefined;
  let last: { value: T; at: number } | undefined;
  const get = (): Promise<T> => {
    if (current && options.now() < current.until) return current.value;
    const value = ask();
    // Fresh until an answer comes in; then for as long as that kind of answer is trusted.
    const entry = { value, until: Number.POSITIVE_INFINITY };
    current = entry;
    void value.then((answer) => {
      const at = options.now();
      entry.until = at + (failed(answer) ? options.failingForMs : options.okForMs);
      last = { value: answer, at };
    });
    return value;
  };
  return Object.assign(get, { last: () => last });
}

function withDeadline<T>(promise: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Whether Prometheus and the Kubernetes API answer, and which metric names exist, each asked
 * with as few requests as possible (one reachability call per backend, one metric-name listing),
 * cached briefly and asked again when stale.
 */
export function createSourceProbe(probe: PrerequisiteProbe, options: SourceProbeOptions = {}) {
  const settings: Required<SourceProbeOptions> = {
    okForMs: options.okForMs ?? OK_FOR_MS,
    failingForMs: options.failingForMs ?? FAILING_FOR_MS,
    probeTimeoutMs: options.probeTimeoutMs ?? PROBE_TIMEOUT_MS,
    now: options.now ?? Date.now,
  };
  const reach = (what: string, call: () => Promise<unknown>) =>
    withDeadline(
      call().then(
        () => null,
        (error: Error) => `${what} is not reachable: ${error.message}`,
      ),
      settings.probeTimeoutMs,
      () => `${what} did not answer within ${settings.probeTimeoutMs} ms`,
    );
  const isProblem = (answer: string | null) => answer !== null;
  const prometheus = cached(
    () =>
      probe.prometheus
        ? reach(`Prometheus at ${probe.prometheus.url}`, () => probe.prometheus!.buildInfo())
        : Promise.resolve('no Prometheus is configured (prometheus.url)'),
    isProblem,
    settings,
  );
  const kube = cached(
    () =>
      probe.kube
        ? reach(`the Kubernetes API at ${probe.kube.server}`, () => probe.kube!.version())
        : Promise.resolve('no Kubernetes access is configured (kubernetes.kubeconfig, inCluster or server)'),
    isProblem,
    settings,
  );
  const metricNames = cached(
    async (): Promise<Set<string> | string> => {
      const problem = await prometheus();
      if (problem) return problem;
      try {
        return new Set((await probe.prometheus!.labelValues('__name__')).values);
      } catch (error) {
        return `cannot list metric names: ${(error as Error).message}`;
      }
    },
    (answer) => typeof answer === 'string',
    settings,
  );

  const describe = (
    source: SourceStatus['source'],
    configured: boolean,
    answer: { value: string | null; at: number } | undefined,
  ): SourceStatus => {
    if (!configured) return { source, status: 'not-configured' };
    if (!answer) return { source, status: 'unknown', reason: 'not checked yet' };
    return {
      source,
      status: answer.value ? 'failing' : 'ok',
      ...(answer.value ? { reason: answer.value } : {}),
      checkedAt: new Date(answer.at).toISOString(),
    };
  };

  /**
   * Each source as last seen, at once: a stale answer starts a new check in the background
   * rather than making the caller (a readiness probe with a 1 s timeout) wait for it.
   */
  function snapshot(): SourceStatus[] {
    void prometheus();
    void kube();
    return [
      describe('prometheus', Boolean(probe.prometheus), prometheus.last()),
      describe('kubernetes', Boolean(probe.kube), kube.last()),
    ];
  }

  return { prometheus, kube, metricNames, snapshot };
}

export type SourceProbe = ReturnType<typeof createSourceProbe>;

/**
 * null when every prerequisite holds, else the first reason it does not; `unreachable` tells a
 * configured source that did not answer (the investigation is degraded) from absent data.
 */
export function createPrerequisiteChecker(probe: PrerequisiteProbe, sources = createSourceProbe(probe)) {
  return async function check(prerequisites: Prerequisite[]): Promise<PrerequisiteProblem | null> {
    for (const prerequisite of prerequisites) {
      if ('prometheus' in prerequisite) {
        const problem = await sources.prometheus();
        if (problem) return { reason: problem, unreachable: Boolean(probe.prometheus) };
      } else if ('kubernetes' in prerequisite) {
        const problem = await sources.kube();
        if (problem) return { reason: problem, unreachable: Boolean(probe.kube) };
      } else {
        const known = await sources.metricNames();
        if (typeof known === 'string') return { reason: known, unreachable: Boolean(probe.prometheus) };
        if (!prerequisite.metrics.some((metric) => known.has(metric))) {
          return {
            reason: `none of these metrics exist in Prometheus: ${prerequisite.metrics.join(', ')} (is the exporter installed and scraped?)`,
            unreachable: false,
          };
        }
      }
    }
    return null;
  };
}
