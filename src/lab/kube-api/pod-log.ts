import type { KubeObject } from '../../core/kube-object.js';
import type { ScenarioLog } from '../scenario.js';
import { kubeStatus, type KubeStatus } from './kube-status.js';

/**
 * GET .../pods/NAME/log: picks the container like the API server (pod strategy's
 * validateContainer), then filters like the kubelet's CRI log reader (tail, then since).
 */
export type PodLogResult = { kind: 'text'; text: string } | { kind: 'status'; status: KubeStatus };

// A leading RFC 3339 time, as `now-<duration>` substitution or a runtime writes it.
const LEADING_TIME = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))(?=\s|$)/;

function containerNames(pod: KubeObject): string[] {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const names = (list: unknown) =>
    Array.isArray(list)
      ? list.map((container) => String((container as { name?: unknown }).name ?? '')).filter(Boolean)
      : [];
  return [...names(spec.initContainers), ...names(spec.containers), ...names(spec.ephemeralContainers)];
}

function badRequest(message: string): PodLogResult {
  return { kind: 'status', status: kubeStatus(400, message) };
}

function integerParameter(query: URLSearchParams, name: string, minimum: number): number | undefined | Error {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) return new Error(`${name}: Invalid value: "${raw}": must be an integer`);
  const value = Number(raw);
  if (value < minimum)
    return new Error(`${name}: Invalid value: ${value}: must be greater than or equal to ${minimum}`);
  return value;
}

function isTrue(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  return raw === 'true' || raw === '1';
}

export function readPodLog(
  pod: KubeObject,
  logs: readonly ScenarioLog[],
  query: URLSearchParams,
  now: Date,
): PodLogResult {
  const names = containerNames(pod);
  const regular = Array.isArray((pod.spec as { containers?: unknown } | undefined)?.containers)
    ? (pod.spec as { containers: unknown[] }).containers.length
    : 0;
  let container = query.get('container') ?? '';
  if (container === '') {
    if (regular === 0) return badRequest(`a container name must be specified for pod ${pod.metadata.name}`);
    if (regular > 1) {
      return badRequest(
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`,
      );
    }
    container = (pod.spec as { containers: Array<{ name: string }> }).containers[0]?.name ?? '';
  } else if (!names.includes(container)) {
    return badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }

  const tailLines = integerParameter(query, 'tailLines', 0);
  const sinceSeconds = integerParameter(query, 'sinceSeconds', 1);
  const limitBytes = integerParameter(query, 'limitBytes', 1);
  for (const value of [tailLines, sinceSeconds, limitBytes]) {
    if (value instanceof Error) return badRequest(`PodLogOptions is invalid: ${value.message}`);
  }
  const sinceTimeText = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTimeText) {
    return badRequest(
      'PodLogOptions is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  }
  let since: number | undefined;
  if (typeof sinceSeconds === 'number') since = now.getTime() - sinceSeconds * 1000;
  if (sinceTimeText) {
    since = Date.parse(sinceTimeText);
    if (Number.isNaN(since))
      return badRequest(`sinceTime: Invalid value: "${sinceTimeText}": must be an RFC 3339 time`);
  }

  const previous = isTrue(query, 'previous');
  const entry = logs.find(
    (log) =>
      log.namespace === pod.metadata.namespace &&
      log.pod === pod.metadata.name &&
      log.container === container &&
      log.previous === previous,
  );
  let timed = stampLines(entry?.lines ?? [], now);
  if (typeof tailLines === 'number') timed = tailLines === 0 ? [] : timed.slice(-tailLines);
  if (since !== undefined) {
    const cutoff = since;
    // Lines without a time of their own cannot be placed, so they are kept.
    timed = timed.filter(({ own }) => own === undefined || own >= cutoff);
  }
  const withTimes = isTrue(query, 'timestamps');
  const lines = timed.map(({ line, own, stamp }) => (withTimes && own === undefined ? `${stamp} ${line}` : line));

  let text = lines.map((line) => `${line}\n`).join('');
  if (typeof limitBytes === 'number') {
    const bytes = Buffer.from(text, 'utf8');
    let end = Math.min(limitBytes, bytes.length);
    // Cut on a character boundary so the text stays valid UTF-8 (at most limitBytes bytes).
    while (end < bytes.length && end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
    text = bytes.subarray(0, end).toString('utf8');
  }
  return { kind: 'text', text };
}

interface TimedLine {
  line: string;
  /** The line's own leading time in epoch milliseconds, when it has one. */
  own: number | undefined;
  /** What `timestamps=true` shows for a line without a time: the last time seen before it. */
  stamp: string;
}

/** Lines with their times; untimed lines borrow the time before them (or the first one, or now). */
function stampLines(lines: readonly string[], now: Date): TimedLine[] {
  const times = lines.map((line) => LEADING_TIME.exec(line)?.[1]);
  let last = times.find((time) => time !== undefined) ?? now.toISOString();
  return lines.map((line, index) => {
    const time = times[index];
    if (time !== undefined) last = time;
    return { line, own: time === undefined ? undefined : Date.parse(time), stamp: last };
  });
}
