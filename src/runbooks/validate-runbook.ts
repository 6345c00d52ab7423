import Mustache from 'mustache';
import { toParameterSchema } from '../toolsets/parameter-schema.js';
import type { ToolSpec } from '../toolsets/toolset-schema.js';
import { BUILTIN_FUNCTIONS, freeNames } from './expression-names.js';
import { FACT_FUNCTION_NAMES } from './fact-functions.js';
import { VIEW_NAMES, type Runbook } from './runbook-schema.js';

export interface RunbookProblem {
  path: Array<string | number>;
  message: string;
  fix: string;
}

/** A tool a runbook can call, as the toolbox declares it. */
export interface KnownTool {
  toolset: string;
  spec: ToolSpec;
}

/** Names a Mustache template reads (`{{a}}`, `{{#a}}`, `{{^a}}`), nested sections included. */
export function templateNames(template: string): string[] {
  const names: string[] = [];
  const walk = (tokens: unknown[]) => {
    for (const token of tokens as Array<[string, string, number, number, unknown[]?]>) {
      if (['name', '&', '#', '^'].includes(token[0]) && token[1] !== '.') names.push(token[1].split('.')[0]!);
      if (Array.isArray(token[4])) walk(token[4]);
    }
  };
  walk(Mustache.parse(template));
  return names;
}

const view = new Set<string>(VIEW_NAMES);

/**
 * Checks what only the loaded toolsets can tell: that every check calls a tool that exists with
 * parameters it accepts, that every `$name` and `{{name}}` is defined, so a typo is a load error
 * with its place, never a verdict.
 */
export function validateRunbook(runbook: Runbook, tools: KnownTool[]): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  const byName = new Map<string, KnownTool>();
  for (const tool of tools) {
    byName.set(tool.spec.name, tool);
    byName.set(`${tool.toolset}/${tool.spec.name}`, tool);
  }
  const allFacts = new Set<string>();
  runbook.checks.forEach((check, index) => {
    const at = (...path: Array<string | number>) => ['checks', index, ...path];
    const tool = byName.get(check.tool);
    if (!tool) {
      problems.push({
        path: at('tool'),
        message: `unknown tool '${check.tool}'`,
        fix: `Use a tool of a loaded toolset (\`holmes toolsets list\`), e.g. ${[...new Set(tools.map((known) => known.spec.name))].sort().slice(0, 12).join(', ')}.`,
      });
    } else {
      const parameters = tool.spec.parameters;
      for (const [name, value] of Object.entries(check.params)) {
        const spec = parameters[name];
        if (!spec) {
          problems.push({
            path: at('params', name),
            message: `tool ${tool.spec.name} has no parameter '${name}'`,
            fix: `Use one of: ${Object.keys(parameters).join(', ') || '(none)'}.`,
          });
          continue;
        }
        // A literal is checked now; a template is checked when it is rendered.
        if (typeof value === 'string' && value.includes('{{')) continue;
        const parsed = toParameterSchema({ [name]: { ...spec, required: true } }).safeParse({ [name]: value });
        if (!parsed.success)
          problems.push({
            path: at('params', name),
            message: `${JSON.stringify(value)} is not a valid ${name}: ${parsed.error.issues[0]?.message}`,
            fix: `Give ${name} as ${spec.type}${spec.values ? ` (${spec.values.join('|')})` : ''}.`,
          });
      }
      for (const [name, spec] of Object.entries(parameters)) {
        if (spec.required && spec.default === undefined && !spec.entity && check.params[name] === undefined)
          problems.push({
            path: at('params'),
            message: `tool ${tool.spec.name} needs parameter '${name}'`,
            fix: `Add ${name} under params (${spec.description}).`,
          });
      }
    }
    const defined = new Set<string>();
    const expressions: Array<[Array<string | number>, string]> = [
      ...Object.entries(check.facts).map(([name, expression]): [Array<string | number>, string] => [
        at('facts', name),
        expression,
      ]),
      [at('supports'), check.supports],
      ...(check.contradicts ? [[at('contradicts'), check.contradicts] as [Array<string | number>, string]] : []),
    ];
    // A fact named like a JSONata function hides it: a later `$count(...)` would call a number.
    const calls = expressions.map(([, expression]) => expression).join('\n');
    for (const name of Object.keys(check.facts).filter(
      (fact) => BUILTIN_FUNCTIONS.has(fact) && new RegExp(`\\$${fact}\\s*\\(`).test(calls),
    ))
      problems.push({
        path: at('facts', name),
        message: `fact '${name}' hides JSONata's $${name}(), which this check calls`,
        fix: `Rename the fact (e.g. '${name}Value').`,
      });
    for (const [path, expression] of expressions) {
      let names: string[] = [];
      try {
        names = freeNames(expression);
      } catch {
        continue; // reported by the compile step
      }
      for (const name of names.filter((name) => !defined.has(name) && !FACT_FUNCTION_NAMES.has(name)))
        problems.push({
          path,
          message: `$${name} is not a fact defined above it, nor a function`,
          fix: `Define fact '${name}' before it, or use one of: ${[...defined, ...FACT_FUNCTION_NAMES].map((known) => `$${known}`).join(', ') || '(no facts yet)'}.`,
        });
      if (path[2] === 'facts') defined.add(String(path[3]));
    }
    for (const name of defined) allFacts.add(name);
    for (const [key, template] of Object.entries(check.explain)) {
      for (const name of templateNames(template ?? '')) {
        const fact = name.replace(/_pct$/, '');
        if (!view.has(name) && !defined.has(name) && !defined.has(fact))
          problems.push({
            path: at('explain', key),
            message: `{{${name}}} is neither a fact of this check nor an entity of the view`,
            fix: `Use a fact (${[...defined].join(', ') || 'none'}) or an entity name (see runbooks/README.md).`,
          });
      }
    }
  });
  runbook.remediation.forEach((step, index) => {
    for (const key of ['title', 'command', 'details'] as const) {
      const template = step[key];
      if (!template) continue;
      for (const name of templateNames(template)) {
        if (
          !view.has(name) &&
          !allFacts.has(name) &&
          !allFacts.has(name.replace(/_pct$/, '')) &&
          !isSectionItem(template, name)
        )
          problems.push({
            path: ['remediation', index, key],
            message: `{{${name}}} is neither a fact of a check nor an entity of the view`,
            fix: 'Use a fact of one of the checks or an entity name (see runbooks/README.md).',
          });
      }
    }
  });
  return problems;
}

/** A name read inside a section over a list of records (`{{#pods}}{{name}}{{/pods}}`) belongs to the items. */
function isSectionItem(template: string, name: string): boolean {
  const inside = (tokens: unknown[], depth: number): boolean =>
    (tokens as Array<[string, string, number, number, unknown[]?]>).some(
      (token) =>
        (depth > 0 && token[0] === 'name' && token[1] === name) ||
        (Array.isArray(token[4]) && inside(token[4], depth + (token[0] === '#' ? 1 : 0))),
    );
  return inside(Mustache.parse(template), 0);
}
