import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Alert } from '../core/alert.js';
import { parseDuration } from '../core/duration.js';
import type { Issue } from '../core/errors.js';
import { formatIssue, HolmesError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { alertFingerprint } from '../core/alert-fingerprint.js';
import { describeZodIssues } from './describe-zod-issues.js';
import { loadScenarioLogs } from './load-scenario-logs.js';
import { parseKubernetesObjects } from './parse-kubernetes-objects.js';
import { readScenarioSeries } from './read-scenario-series.js';
import { rfc3339 } from './rfc3339.js';
import type { Scenario } from './scenario.js';
import type { LogEntry } from './scenario-schema.js';
import { scenarioFileSchema } from './scenario-schema.js';
import type { YamlSource } from '../core/yaml-source.js';
import { lineAt, parseYamlSource } from '../core/yaml-source.js';

export interface LoadScenarioOptions {
  /** The moment of investigation; defaults to the current time truncated to the second. */
  now?: Date;
}

const SPEC = 'shared/SCENARIOS.md';

/**
 * Loads a scenario folder (shared/SCENARIOS.md) into the form the lab serves: series expanded,
 * times resolved against `now`, Kubernetes defaults filled. Every problem found is reported at
 * once, as one SCENARIO_INVALID error whose issues carry file, line, path and fix.
 */
export async function loadScenario(dir: string, options: LoadScenarioOptions = {}): Promise<Scenario> {
  const now = options.now ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const file = join(dir, 'scenario.yaml');
  const { source, issues } = parseYamlSource(await readScenarioFile(dir, file), file);
  const raw: unknown = issues.length === 0 ? source.document.toJS() : undefined;
  if (issues.length === 0 && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    issues.push({
      path: '',
      message: raw == null ? 'scenario.yaml is empty' : 'expected a map of scenario fields',
      file,
      line: 1,
      fix: `Start from the example in ${SPEC}.`,
    });
  }
  if (issues.length > 0) throw invalid(dir, issues, undefined);

  const record = raw as Record<string, unknown>;
  const parsed = scenarioFileSchema.safeParse(record);
  const schemaIssues = parsed.error?.issues ?? [];
  issues.push(...describeZodIssues(schemaIssues, source, record));
  // Fields that passed the schema can be checked further even when others did not.
  const clean = (...path: PropertyKey[]): boolean =>
    !schemaIssues.some((issue) => path.every((part, index) => issue.path[index] === part));
  const at = (path: PropertyKey[]): Pick<Issue, 'file' | 'line'> => ({ file, line: lineAt(source, path) });

  const folder = basename(resolve(dir));
  if (typeof record.id === 'string' && clean('id') && record.id !== folder) {
    issues.push({
      path: 'id',
      ...at(['id']),
      message: `id '${record.id}' differs from the folder name '${folder}'`,
      fix: `Rename the folder or set \`id: ${folder}\`.`,
    });
  }
  const expected = record.expected as { rootCause?: unknown; mentions?: unknown } | undefined;
  if (clean('expected') && Array.isArray(expected?.mentions) && typeof expected.rootCause === 'string') {
    const cause = expected.rootCause.toLowerCase();
    expected.mentions.forEach((mention: unknown, index) => {
      if (typeof mention === 'string' && mention.trim().toLowerCase() === cause) {
        issues.push({
          path: `expected.mentions[${index}]`,
          ...at(['expected', 'mentions', index]),
          message: `mention '${mention}' is the cause id itself`,
          fix: 'Mentions name concrete things (a pod, a node, a GPU, a model, a team); remove this one.',
        });
      }
    });
  }

  const series = readScenarioSeries(record.series, source, now);
  issues.push(...series.issues);
  const objects = await loadObjects(dir, record.kubernetes, clean('kubernetes'), source, now, issues);
  const logEntries = Array.isArray(record.logs)
    ? record.logs.flatMap((entry: unknown, index) =>
        clean('logs', index) ? [{ index, entry: entry as LogEntry }] : [],
      )
    : [];
  const logs = await loadScenarioLogs(logEntries, { dir, source, now });
  issues.push(...logs.issues);

  if (issues.length > 0 || !parsed.success)
    throw invalid(dir, issues, typeof record.id === 'string' ? record.id : undefined);
  const data = parsed.data;
  const alert: Alert = {
    fingerprint: alertFingerprint(data.alert.labels),
    status: 'firing',
    labels: data.alert.labels,
    annotations: data.alert.annotations ?? {},
    startsAt: rfc3339(new Date(now.getTime() - parseDuration(data.alert.startsAgo))),
    endsAt: '0001-01-01T00:00:00Z',
    ...(data.alert.generatorURL === undefined ? {} : { generatorURL: data.alert.generatorURL }),
    source: 'lab',
  };
  return {
    id: data.id,
    title: data.title,
    class: data.class,
    dir: resolve(dir),
    intervalMs: parseDuration(data.interval),
    now,
    alert,
    series: series.series,
    objects,
    logs: logs.logs,
    expected: { rootCause: data.expected.rootCause, mentions: data.expected.mentions ?? [] },
  };
}

async function readScenarioFile(dir: string, file: string): Promise<string> {
  const folder = await stat(dir).catch(() => undefined);
  if (folder === undefined || !folder.isDirectory()) {
    throw new HolmesError('SCENARIO_NOT_FOUND', `No scenario folder at ${dir}.`, {
      fix: `Pass the path of a folder holding scenario.yaml (see ${SPEC}).`,
    });
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new HolmesError('SCENARIO_NOT_FOUND', `No scenario.yaml in ${dir} (looked for ${file}).`, {
      cause: error,
      fix: `Create ${file} as described in ${SPEC}, or pass the right folder.`,
    });
  }
}

/** kubernetes.yaml: the file the `kubernetes:` field names, or kubernetes.yaml when the folder has one. */
async function loadObjects(
  dir: string,
  field: unknown,
  clean: boolean,
  source: YamlSource,
  now: Date,
  issues: Issue[],
): Promise<KubeObject[]> {
  if (field !== undefined && (!clean || typeof field !== 'string')) return [];
  const name = typeof field === 'string' ? field : 'kubernetes.yaml';
  const where = { path: 'kubernetes', file: source.file, line: lineAt(source, ['kubernetes']) };
  const inside = relative(resolve(dir), resolve(dir, name));
  if (isAbsolute(name) || inside === '..' || inside.startsWith(`..${sep}`)) {
    issues.push({
      ...where,
      message: `${name} is outside the scenario folder`,
      fix: 'Keep kubernetes.yaml in the scenario folder: `kubernetes: kubernetes.yaml`.',
    });
    return [];
  }
  const file = join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (field === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    issues.push({
      ...where,
      message: `${name} not found (looked for ${file})`,
      fix: 'Create the file in the scenario folder, or correct or remove `kubernetes:`.',
    });
    return [];
  }
  const parsed = parseKubernetesObjects(text, { file, now });
  issues.push(...parsed.issues);
  return parsed.objects;
}

function invalid(dir: string, unsorted: Issue[], id: string | undefined): HolmesError {
  // scenario.yaml first, then the other files, each in line order: the order one reads them in.
  const main = join(dir, 'scenario.yaml');
  const issues = [...unsorted].sort(
    (left, right) =>
      Number(left.file !== main) - Number(right.file !== main) ||
      (left.file ?? '').localeCompare(right.file ?? '') ||
      (left.line ?? 0) - (right.line ?? 0),
  );
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new HolmesError(
    'SCENARIO_INVALID',
    `Scenario ${dir} is invalid (${count}):\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`,
    {
      fix: `Correct each problem listed (format: ${SPEC}), then run \`holmes lab check ${dir}\`.`,
      issues,
      details: id === undefined ? {} : { id },
    },
  );
}
