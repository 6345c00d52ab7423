import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsonata from 'jsonata';
import Mustache from 'mustache';
import type { Issue } from '../core/errors.js';
import { formatPath, lineAt, parseYamlSource } from '../core/yaml-source.js';
import { parseFixSection, type FixSection } from './parse-fix-section.js';
import { runbookFrontMatterSchema, type Runbook } from './runbook-schema.js';
import { validateRunbook, type KnownTool } from './validate-runbook.js';

/** The built-in runbooks, whether running from src/ (tsx) or dist/. */
export const BUILTIN_RUNBOOKS_DIR = new URL('../../runbooks/', import.meta.url).pathname;

export interface LoadRunbooksResult {
  runbooks: Runbook[];
  /** One entry per broken file, naming file, field and fix; the others still load. */
  failures: Array<{ file: string; issues: Issue[] }>;
}

const FORMAT_FIX = 'See the runbook format in runbooks/README.md.';

function splitFrontMatter(text: string): { front: string; body: string; bodyLine: number } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  const rest = match[2]!;
  // The file line of the body's first non-blank line, so errors in the ## Fix steps name their line.
  const bodyStart = text.length - rest.length + (rest.length - rest.trimStart().length);
  return { front: match[1]!, body: rest.trim(), bodyLine: text.slice(0, bodyStart).split('\n').length };
}

/** JSONata expressions and templates are compiled once here, so a typo is a load error with its field. */
function compileIssues(runbook: Runbook): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  runbook.checks.forEach((check, index) => {
    const expressions: Array<[Array<string | number>, string]> = [
      [['checks', index, 'supports'], check.supports],
      ...(check.contradicts
        ? [[['checks', index, 'contradicts'], check.contradicts] as [Array<string | number>, string]]
        : []),
      ...Object.entries(check.facts).map(([name, expression]): [Array<string | number>, string] => [
        ['checks', index, 'facts', name],
        expression,
      ]),
    ];
    for (const [path, expression] of expressions) {
      try {
        jsonata(expression);
      } catch (error) {
        problems.push({ path, message: `invalid JSONata: ${(error as Error).message}` });
      }
    }
    for (const [name, template] of Object.entries(check.explain)) {
      try {
        Mustache.parse(template ?? '');
      } catch (error) {
        problems.push({
          path: ['checks', index, 'explain', name],
          message: `invalid template: ${(error as Error).message}`,
        });
      }
    }
  });
  return problems;
}

async function loadRunbook(
  file: string,
  tools: KnownTool[] | undefined,
): Promise<{ runbook?: Runbook; issues: Issue[] }> {
  const text = await readFile(file, 'utf8');
  const parts = splitFrontMatter(text);
  if (!parts) {
    return {
      issues: [
        {
          file,
          line: 1,
          path: '(front matter)',
          message: 'the file does not start with a YAML front matter between --- lines',
          fix: FORMAT_FIX,
        },
      ],
    };
  }
  const { source, issues: syntax } = parseYamlSource(parts.front, file);
  // Lines inside the front matter are one below the opening `---`.
  const shift = (issue: Issue): Issue => (issue.line ? { ...issue, line: issue.line + 1 } : issue);
  if (syntax.length > 0) return { issues: syntax.map(shift) };
  const front = source.document.toJS() as Record<string, unknown> | null;
  const fixSection = parseFixSection(parts.body);
  const inBody = (line: number) => parts.bodyLine + line - 1;
  const located = (path: ReadonlyArray<PropertyKey>, message: string, key = false, fix = FORMAT_FIX): Issue => {
    const step = fixSection && path[0] === 'remediation' ? fixSection.lines[path[1] as number] : undefined;
    const yamlLine = step ? undefined : lineAt(source, path, { key });
    const line = step ? inBody(step[path[2] as keyof typeof step] ?? step.title) : yamlLine && yamlLine + 1;
    const where = step
      ? `## Fix step ${(path[1] as number) + 1}${path[2] ? ` ${String(path[2])}` : ''}`
      : formatPath(path);
    return { file, path: where || '(front matter)', message, ...(line ? { line } : {}), fix };
  };
  const fixIssues = remediationIssues(front, fixSection, file, inBody, located);
  if (fixIssues.length > 0) return { issues: fixIssues };
  const parsed = runbookFrontMatterSchema.safeParse(
    fixSection && front ? { ...front, remediation: fixSection.steps } : front,
  );
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        return located(
          [...issue.path, ...keys.slice(0, 1)],
          keys.length > 0 ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` : issue.message,
          keys.length > 0,
        );
      }),
    };
  }
  const runbook: Runbook = { ...parsed.data, file, body: fixSection?.prose ?? parts.body };
  const problems = compileIssues(runbook);
  if (problems.length > 0) return { issues: problems.map((problem) => located(problem.path, problem.message)) };
  // With the toolsets known, tools, parameters and every name are checked too.
  const unresolved = tools ? validateRunbook(runbook, tools) : [];
  if (unresolved.length > 0)
    return { issues: unresolved.map((problem) => located(problem.path, problem.message, false, problem.fix)) };
  return { runbook, issues: [] };
}

const FIX_FORMAT =
  'Add a ## Fix section to the body: one ### heading per step (its title), a sentence or two, a fenced command (see runbooks/README.md).';

/** The remediation is written once: under ## Fix in the body, or (older runbooks) in the front matter. */
function remediationIssues(
  front: Record<string, unknown> | null,
  fixSection: FixSection | undefined,
  file: string,
  inBody: (line: number) => number,
  located: (path: ReadonlyArray<PropertyKey>, message: string, key: boolean, fix: string) => Issue,
): Issue[] {
  const inFront = front !== null && typeof front === 'object' && 'remediation' in front;
  if (fixSection && inFront)
    return [
      located(
        ['remediation'],
        'the remediation is both in the front matter and under ## Fix',
        true,
        'Keep one: move the steps to the ## Fix section and delete remediation from the front matter.',
      ),
    ];
  if (!fixSection && !inFront)
    return [{ file, path: '## Fix', message: 'the runbook has no remediation', fix: FIX_FORMAT }];
  return (fixSection?.problems ?? []).map((problem) => ({
    file,
    line: inBody(problem.line),
    path: '## Fix',
    message: problem.message,
    fix: problem.fix,
  }));
}

export interface LoadRunbooksOptions {
  /** The tools of the loaded toolsets: with them, every check's tool, parameters and names are checked at load. */
  tools?: KnownTool[];
}

/** Loads every `*.md` runbook (README.md excepted) of the given directories; later ids override earlier ones. */
export async function loadRunbooks(
  directories: string[],
  options: LoadRunbooksOptions = {},
): Promise<LoadRunbooksResult> {
  const result: LoadRunbooksResult = { runbooks: [], failures: [] };
  const byId = new Map<string, Runbook>();
  for (const directory of directories) {
    let names: string[];
    try {
      names = (await readdir(directory))
        .filter((name) => name.endsWith('.md') && name.toLowerCase() !== 'readme.md')
        .sort();
    } catch (error) {
      result.failures.push({
        file: directory,
        issues: [
          {
            file: directory,
            path: '',
            message: `cannot read the runbooks directory (${(error as NodeJS.ErrnoException).code ?? error})`,
            fix: 'Check runbooks.directories in the config.',
          },
        ],
      });
      continue;
    }
    for (const name of names) {
      const file = join(directory, name);
      const { runbook, issues } = await loadRunbook(file, options.tools);
      if (runbook) byId.set(runbook.id, runbook);
      else result.failures.push({ file, issues });
    }
  }
  result.runbooks = [...byId.values()];
  return result;
}
