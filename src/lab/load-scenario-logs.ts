import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Issue } from '../core/errors.js';
import { HolmesError } from '../core/errors.js';
import type { ScenarioLog } from './scenario.js';
import type { LogEntry } from './scenario-schema.js';
import { substituteNowInLogLine } from './substitute-now.js';
import type { YamlSource } from '../core/yaml-source.js';
import { lineAt } from '../core/yaml-source.js';

export interface LoadScenarioLogsOptions {
  /** The scenario folder; log files are relative to it. */
  dir: string;
  /** scenario.yaml, for the line of each entry. */
  source: YamlSource;
  now: Date;
}

/** Reads the `logs:` entries (already shape-checked; `index` is the entry's place in the list). */
export async function loadScenarioLogs(
  entries: ReadonlyArray<{ index: number; entry: LogEntry }>,
  options: LoadScenarioLogsOptions,
): Promise<{ logs: ScenarioLog[]; issues: Issue[] }> {
  const issues: Issue[] = [];
  const logs: ScenarioLog[] = [];
  const seen = new Map<string, number>();
  for (const { index, entry } of entries) {
    const at = (field?: string): Pick<Issue, 'path' | 'file' | 'line'> => {
      const path = field === undefined ? ['logs', index] : ['logs', index, field];
      return {
        path: `logs[${index}]${field === undefined ? '' : `.${field}`}`,
        file: options.source.file,
        line: lineAt(options.source, path),
      };
    };
    if ((entry.file === undefined) === (entry.text === undefined)) {
      issues.push({
        ...at(),
        message: entry.file === undefined ? 'the entry has neither file nor text' : 'the entry has both file and text',
        fix: 'Give exactly one: `file: logs/NAME.log` (relative to the scenario folder) or `text: "..."`.',
      });
      continue;
    }
    const previous = entry.previous ?? false;
    const key = `${entry.namespace}/${entry.pod}/${entry.container}/${previous}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        ...at(),
        message: `a second log for ${entry.namespace}/${entry.pod} container ${entry.container}${previous ? ' (previous)' : ''}; the first is logs[${first}]`,
        fix: 'Merge the two entries into one.',
      });
      continue;
    }
    seen.set(key, index);
    const text = entry.file === undefined ? entry.text : await readLogFile(entry.file, options.dir, at('file'), issues);
    if (text === undefined) continue;
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    try {
      const resolved = lines.map((line) => substituteNowInLogLine(line, options.now));
      logs.push({ namespace: entry.namespace, pod: entry.pod, container: entry.container, previous, lines: resolved });
    } catch (error) {
      if (!HolmesError.isInstance(error)) throw error;
      issues.push({
        ...at(entry.file === undefined ? 'text' : 'file'),
        message: error.message,
        ...(error.fix ? { fix: error.fix } : {}),
      });
    }
  }
  return { logs, issues };
}

async function readLogFile(
  file: string,
  dir: string,
  where: Pick<Issue, 'path' | 'file' | 'line'>,
  issues: Issue[],
): Promise<string | undefined> {
  const absolute = resolve(dir, file);
  const inside = relative(resolve(dir), absolute);
  if (isAbsolute(file) || inside === '..' || inside.startsWith(`..${sep}`)) {
    issues.push({
      ...where,
      message: `log file ${file} is outside the scenario folder`,
      fix: 'Keep log files inside the scenario folder, e.g. `file: logs/NAME.log`.',
    });
    return undefined;
  }
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    issues.push({
      ...where,
      message:
        code === 'ENOENT'
          ? `log file ${file} not found (looked for ${join(dir, file)})`
          : `log file ${file} cannot be read: ${code ?? String(error)}`,
      fix: 'Create the file under the scenario folder, or correct the path (it is relative to the folder holding scenario.yaml).',
    });
    return undefined;
  }
}
