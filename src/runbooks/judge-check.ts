import jsonata, { type Expression } from 'jsonata';
import type { Verdict } from '../core/investigation.js';
import type { ToolMissing } from '../core/tool-result.js';
import { formatCompactNumber } from '../telemetry/format-compact-number.js';
import { missingPath, rootPaths } from './expression-names.js';
import { FACT_FUNCTIONS, FACT_SIGNATURES } from './fact-functions.js';
import { renderSentence } from './render-plain-text.js';
import type { CheckSpec } from './runbook-schema.js';

/** What a check's expressions read: the tool's data, the resolved entities and times. */
export interface CheckInput {
  data: unknown;
  status: string;
  entities: unknown;
  view: Record<string, string>;
  nowMs: number;
  alertStartMs: number;
  windowMs: number;
}

export interface Judgement {
  verdict: Verdict;
  sentence: string;
  facts: Record<string, unknown>;
}

const compiled = new Map<string, Expression>();

function compile(expression: string): Expression {
  let found = compiled.get(expression);
  if (!found) {
    found = jsonata(expression);
    for (const [name, implementation] of Object.entries(FACT_FUNCTIONS))
      found.registerFunction(name, implementation, FACT_SIGNATURES[name as keyof typeof FACT_FUNCTIONS]);
    compiled.set(expression, found);
  }
  return found;
}

async function evaluate(expression: string, input: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  const value = await compile(expression).evaluate(input, bindings);
  // JSONata sequences are arrays with a marker; make them plain.
  return Array.isArray(value) ? [...value] : value;
}

/** Facts as a template sees them: numbers compact, ratios also as `<name>_pct`. */
function displayFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    if (typeof value === 'number') {
      shown[name] = formatCompactNumber(value);
      shown[`${name}_pct`] = `${formatCompactNumber(value * 100)}%`;
    } else if (Array.isArray(value)) {
      // Lists of records (JSONata objects have no prototype) are shown as JSON.
      shown[name] = value
        .map((item: unknown) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item)))
        .join(', ');
    } else if (typeof value === 'object' && value !== null) shown[name] = JSON.stringify(value);
    else shown[name] = value ?? '';
  }
  return shown;
}

class CheckProblem extends Error {}

async function verdictOf(
  field: 'supports' | 'contradicts',
  expression: string,
  input: CheckInput,
  facts: Record<string, unknown>,
) {
  const value = await evaluate(expression, input, facts);
  // JSONata gives no value when what it reads is empty (no series): that shows nothing either way.
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new CheckProblem(
      `'${field}' gave ${JSON.stringify(value)?.slice(0, 60)}, not true or false — fix the expression in the runbook`,
    );
  return value;
}

/**
 * A check's verdict from its tool's data, with no tool run: the part `holmes runbooks test`
 * exercises from examples. Only evidence contradicts a cause: data that was never collected is
 * inconclusive, and a path the data does not have (a typo) or a verdict that is not a boolean
 * makes the check unavailable, naming the fact or the field. A fact may be undefined (an empty
 * filter): expressions compare it as JSONata does.
 */
export async function judgeCheck(check: CheckSpec, input: CheckInput, missing?: ToolMissing): Promise<Judgement> {
  if (missing) {
    return {
      verdict: 'inconclusive',
      sentence: `${check.description}: not collected here (${missing.metrics.join(', ')}) — ${missing.fix}`,
      facts: {},
    };
  }
  const facts: Record<string, unknown> = {};
  try {
    for (const [name, expression] of Object.entries(check.facts)) {
      const typo = missingPath(rootPaths(expression), input);
      if (typo)
        throw new CheckProblem(
          `fact '${name}' reads ${typo}, which the tool's data does not have — fix the path in the runbook`,
        );
      facts[name] = await evaluate(expression, input, facts);
    }
    for (const [field, expression] of [
      ['supports', check.supports],
      ['contradicts', check.contradicts ?? 'false'],
    ] as const) {
      const typo = missingPath(rootPaths(expression), input);
      if (typo) throw new CheckProblem(`'${field}' reads ${typo}, which the tool's data does not have — fix the path`);
    }
    let verdict: Verdict = 'inconclusive';
    if (await verdictOf('supports', check.supports, input, facts)) verdict = 'supports';
    else if (check.contradicts && (await verdictOf('contradicts', check.contradicts, input, facts)))
      verdict = 'contradicts';
    const template =
      check.explain[verdict === 'supports' ? 'supports' : verdict === 'contradicts' ? 'contradicts' : 'inconclusive'];
    const sentence = template
      ? renderSentence(template, { ...input.view, ...displayFacts(facts) })
      : `${check.description}: ${verdict === 'contradicts' ? 'not seen' : 'inconclusive'}.`;
    return { verdict, sentence, facts };
  } catch (error) {
    // With no data for this scope, an expression that cannot compare nothing is no evidence either way.
    if (input.status === 'no_data')
      return {
        verdict: 'inconclusive',
        sentence: `${check.description}: no data for ${input.view.workload ?? input.view.namespace ?? 'this scope'}.`,
        facts,
      };
    const reason = error instanceof CheckProblem ? error.message : `the expression failed: ${(error as Error).message}`;
    return { verdict: 'unavailable', sentence: `${check.description}: not checked — ${reason}.`, facts };
  }
}
