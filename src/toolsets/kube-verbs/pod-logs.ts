import type { KubeClient } from '../../telemetry/kube-types.js';
import { str, type KubeVerb } from './kube-verb.js';

const DEFAULT_TAIL = 200;
const DEFAULT_SHOWN = 40;
const TIMESTAMP_PREFIX = /^\d{4}-\d\d-\d\dT\S+\s*/;
const DATE_PREFIX = /^(\d{4}-\d\d-\d\d)T(?=\d)/;

/** When every timestamped line is from one day, the date is said once (about eight tokens a line). */
function dropSharedDate(lines: string[]): { date?: string; text: string[] } {
  const dates = new Set(lines.map((line) => DATE_PREFIX.exec(line)?.[1]).filter(Boolean));
  if (dates.size !== 1) return { text: lines };
  const [date] = dates as Set<string>;
  return { date, text: lines.map((line) => line.replace(DATE_PREFIX, '')) };
}

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * Like kubectl: without a container, a pod with several (an app and its sidecars) reads its
 * default-container annotation, else its first container, instead of failing.
 */
async function chooseContainer(
  kube: KubeClient,
  namespace: string,
  pod: string,
): Promise<{ container?: string; requests: string[]; raw: string[] }> {
  try {
    const found = await kube.get('Pod', pod, namespace);
    const containers = ((found.object?.spec as { containers?: Array<{ name?: string }> } | undefined)?.containers ?? [])
      .map((entry) => entry.name)
      .filter((name): name is string => Boolean(name));
    if (containers.length < 2) return { requests: [], raw: [] };
    const annotated = found.object?.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    return {
      container: annotated && containers.includes(annotated) ? annotated : containers[0]!,
      requests: [found.request],
      raw: [found.raw],
    };
  } catch {
    // The log request itself reports what is wrong with the pod.
    return { requests: [], raw: [] };
  }
}

/**
 * `logs`: the tail of a container's log, optionally filtered by a regex (and an exclude regex);
 * repeated lines are folded so a crash loop's hundred identical lines cost one.
 */
export const podLogs: KubeVerb = async (params, { kube }) => {
  const chosen = str(params.container)
    ? { container: String(params.container), requests: [], raw: [] }
    : await chooseContainer(kube, String(params.namespace), String(params.pod));
  const result = await kube.podLogs({
    namespace: String(params.namespace),
    pod: String(params.pod),
    ...(chosen.container ? { container: chosen.container } : {}),
    tailLines: typeof params.tail_lines === 'number' ? params.tail_lines : DEFAULT_TAIL,
    ...(params.previous === true ? { previous: true } : {}),
    ...(typeof params.since_seconds === 'number' ? { sinceSeconds: params.since_seconds } : {}),
  });
  let lines = result.text.split('\n').filter((line) => line.length > 0);
  const total = lines.length;
  if (str(params.filter)) lines = lines.filter((line) => new RegExp(params.filter, 'i').test(line));
  if (str(params.exclude)) lines = lines.filter((line) => !new RegExp(params.exclude, 'i').test(line));
  const runs: Array<{ key: string; line: string; count: number }> = [];
  for (const line of lines) {
    // Lines that differ only in their leading timestamp are the same message.
    const key = line.replace(TIMESTAMP_PREFIX, '');
    const last = runs.at(-1);
    if (last?.key === key) last.count += 1;
    else runs.push({ key, line: line.length > 400 ? `${line.slice(0, 400)}…` : line, count: 1 });
  }
  const folded = runs.map((run) => (run.count > 1 ? `${run.line} (repeated ${run.count}x)` : run.line));
  const limit = typeof params.top_k === 'number' ? params.top_k : DEFAULT_SHOWN;
  const shown = folded.slice(-limit);
  const omitted = folded.length - shown.length;
  const defaulted = chosen.container && !str(params.container) ? ' (default container)' : '';
  const which = `${params.pod}${chosen.container ? `/${chosen.container}` : ''}${defaulted}${params.previous ? ' (previous instance)' : ''}`;
  const matching = `${str(params.filter) ? ` match /${params.filter}/` : ''}${str(params.exclude) ? `${str(params.filter) ? ' and' : ''} do not match /${params.exclude}/` : ''}`;
  const { date, text: compacted } = dropSharedDate(shown);
  let text = `Log of ${which} is empty.`;
  if (total > 0 && lines.length === 0) text = `None of the last ${total} lines of ${which}${matching}.`;
  else if (total > 0) {
    text = `Log of ${which}: ${lines.length} of the last ${total} lines${matching}${omitted > 0 ? `, last ${shown.length} shown` : ''}${date ? ` (all on ${date})` : ''}:\n${compacted.join('\n')}`;
  }
  return {
    status: lines.length === 0 ? 'no_data' : 'success',
    text,
    data: { lines: shown, total, matched: lines.length },
    requests: [...chosen.requests, result.request],
    raw: [...chosen.raw, result.raw],
    keep: 'tail',
    ...(omitted > 0
      ? {
          omitted: {
            what: `${omitted} earlier log lines`,
            hint: 'Use filter (regex) to find specific lines, or raise top_k.',
          },
        }
      : {}),
  };
};
