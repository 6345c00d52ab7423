import { str, type KubeVerb } from './kube-verb.js';

const DEFAULT_TAIL = 200;
const DEFAULT_SHOWN = 40;
const TIMESTAMP_PREFIX = /^\d{4}-\d\d-\d\dT\S+\s*/;

/**
 * `logs`: the tail of a container's log, optionally filtered by a regex (and an exclude regex);
 * repeated lines are folded so a crash loop's hundred identical lines cost one.
 */
export const podLogs: KubeVerb = async (params, { kube }) => {
  const result = await kube.podLogs({
    namespace: String(params.namespace),
    pod: String(params.pod),
    ...(str(params.container) ? { container: params.container } : {}),
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
  const which = `${params.pod}${params.container ? `/${params.container}` : ''}${params.previous ? ' (previous instance)' : ''}`;
  return {
    status: total === 0 ? 'no_data' : 'success',
    text:
      total === 0
        ? `Log of ${which} is empty.`
        : `Log of ${which}: ${lines.length} of the last ${total} lines${str(params.filter) ? ` match /${params.filter}/` : ''}${omitted > 0 ? `, last ${shown.length} shown` : ''}:\n${shown.join('\n')}`,
    data: { lines: shown, total, matched: lines.length },
    requests: [result.request],
    raw: [result.raw],
    ...(omitted > 0 ? { omitted: { what: `${omitted} earlier log lines`, hint: 'Use filter (regex) to find specific lines, or raise top_k.' } } : {}),
  };
};
