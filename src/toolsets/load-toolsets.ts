import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Mustache from 'mustache';
import type { Issue } from '../core/errors.js';
import { formatPath, lineAt, parseYamlSource, plainValue } from '../core/yaml-source.js';
import { toolsetFileSchema, type ToolSpec, type ToolsetSpec } from './toolset-schema.js';

/** Where the built-in toolsets live, whether running from src/ (tsx) or dist/. */
export const BUILTIN_TOOLSETS_DIR = new URL('../../toolsets/', import.meta.url).pathname;

export interface LoadedToolset {
  spec: ToolsetSpec;
  file: string;
}

export interface LoadToolsetsResult {
  toolsets: LoadedToolset[];
  /** One entry per broken file; the other files still load. */
  failures: Array<{ file: string; issues: Issue[] }>;
}

export interface LoadToolsetsOptions {
  directories: string[];
  /** Names of the code tools that exist, to check `builtin:` references at load time. */
  builtins: ReadonlySet<string>;
}

/** Parameter names a template uses (`{{name}}`, `{{{name}}}`, `{{#name}}`). */
function templateNames(template: string): string[] {
  const names: string[] = [];
  const walk = (tokens: unknown[]) => {
    for (const token of tokens as Array<[string, string, number, number, unknown[]?]>) {
      if (['name', '&', '#', '^'].includes(token[0])) names.push(token[1]);
      if (Array.isArray(token[4])) walk(token[4]);
    }
  };
  walk(Mustache.parse(template));
  return names;
}

function crossCheck(
  spec: ToolsetSpec,
  builtins: ReadonlySet<string>,
): Array<{ path: Array<string | number>; message: string; fix: string }> {
  const problems: Array<{ path: Array<string | number>; message: string; fix: string }> = [];
  const firstIndex = new Map<string, number>();
  spec.tools.forEach((tool: ToolSpec, index) => {
    const first = firstIndex.get(tool.name);
    if (first !== undefined) {
      problems.push({
        path: ['tools', index, 'name'],
        message: `tool name '${tool.name}' appears twice (first at tools[${first}])`,
        fix: 'Give each tool a unique name.',
      });
    } else firstIndex.set(tool.name, index);
    const declared = new Set(Object.keys(tool.parameters));
    if (tool.builtin && !builtins.has(tool.builtin)) {
      problems.push({
        path: ['tools', index, 'builtin'],
        message: `unknown builtin '${tool.builtin}'`,
        fix: `Use one of: ${[...builtins].sort().join(', ')}.`,
      });
    }
    tool.promql?.queries.forEach((query, queryIndex) => {
      for (const name of templateNames(query.query)) {
        if (!declared.has(name)) {
          problems.push({
            path: ['tools', index, 'promql', 'queries', queryIndex, 'query'],
            message: `the query uses {{${name}}} but the tool declares no parameter '${name}'`,
            fix: `Declare '${name}' under tools[${index}].parameters or remove it from the query.`,
          });
        }
      }
      if (query.output.decode && !spec.decoders[query.output.decode]) {
        problems.push({
          path: ['tools', index, 'promql', 'queries', queryIndex, 'output', 'decode'],
          message: `unknown decoder '${query.output.decode}'`,
          fix: `Declare it under decoders (have: ${Object.keys(spec.decoders).join(', ') || 'none'}).`,
        });
      }
    });
    for (const template of tool.promql
      ? [tool.promql.lookback, tool.promql.step ?? '', ...(tool.promql.join ?? [])]
      : []) {
      for (const name of templateNames(template)) {
        if (!declared.has(name))
          problems.push({
            path: ['tools', index, 'promql'],
            message: `lookback/step/join use undeclared parameter '${name}'`,
            fix: `Declare '${name}'.`,
          });
      }
    }
    if (tool.promql?.join && tool.promql.type !== 'instant') {
      problems.push({
        path: ['tools', index, 'promql', 'join'],
        message: 'join applies to instant queries only',
        fix: 'Remove join, or make the tool type: instant.',
      });
    }
  });
  return problems;
}

type Locate = (path: ReadonlyArray<PropertyKey>, key?: boolean) => { line?: number };

async function loadFile(
  file: string,
  builtins: ReadonlySet<string>,
): Promise<{ spec?: ToolsetSpec; issues: Issue[]; locate?: Locate }> {
  const { source, issues: syntax } = parseYamlSource(await readFile(file, 'utf8'), file);
  if (syntax.length > 0) return { issues: syntax };
  const plain = plainValue(source);
  if (plain.issues.length > 0) return { issues: plain.issues };
  const parsed = toolsetFileSchema.safeParse(plain.value);
  const locate: Locate = (path, key = false) => {
    const line = lineAt(source, path, { key });
    return line ? { line } : {};
  };
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const path = [...issue.path, ...keys.slice(0, 1)];
        return {
          file,
          path: formatPath(path) || '(root)',
          message: keys.length > 0 ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` : issue.message,
          ...locate(path, keys.length > 0),
          fix: 'See the toolset format in toolsets/README.md.',
        };
      }),
    };
  }
  const problems = crossCheck(parsed.data, builtins);
  if (problems.length > 0) {
    return {
      issues: problems.map((problem) => ({
        file,
        path: formatPath(problem.path),
        message: problem.message,
        fix: problem.fix,
        ...locate(problem.path),
      })),
    };
  }
  return { spec: parsed.data, issues: [], locate };
}

/** Loads every `*.yaml` toolset of the given directories; a broken file is reported, not fatal. */
export async function loadToolsets(options: LoadToolsetsOptions): Promise<LoadToolsetsResult> {
  const result: LoadToolsetsResult = { toolsets: [], failures: [] };
  const seenIds = new Map<string, string>();
  const seenTools = new Map<string, string>();
  for (const directory of options.directories) {
    let names: string[];
    try {
      names = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
    } catch (error) {
      result.failures.push({
        file: directory,
        issues: [
          {
            file: directory,
            path: '',
            message: `cannot read the toolsets directory (${(error as NodeJS.ErrnoException).code ?? error})`,
            fix: 'Check toolsets.directories in the config.',
          },
        ],
      });
      continue;
    }
    for (const name of names) {
      const file = join(directory, name);
      const { spec, issues, locate } = await loadFile(file, options.builtins);
      if (!spec) {
        result.failures.push({ file, issues });
        continue;
      }
      // Tool names are global (a model calls them by name), so a clash with another file fails this one.
      const clashes: Issue[] = [];
      const idClash = seenIds.get(spec.id);
      if (idClash)
        clashes.push({
          file,
          path: 'id',
          message: `toolset id ${spec.id} is already defined in ${idClash}`,
          fix: 'Give the toolset a unique id.',
          ...locate?.(['id']),
        });
      spec.tools.forEach((tool, index) => {
        const other = seenTools.get(tool.name);
        if (other)
          clashes.push({
            file,
            path: `tools[${index}].name`,
            message: `tool name '${tool.name}' is already defined in ${other}`,
            fix: 'Give the tool a unique name.',
            ...locate?.(['tools', index, 'name']),
          });
      });
      if (clashes.length > 0) {
        result.failures.push({ file, issues: clashes });
        continue;
      }
      seenIds.set(spec.id, file);
      for (const tool of spec.tools) seenTools.set(tool.name, file);
      result.toolsets.push({ spec, file });
    }
  }
  return result;
}
