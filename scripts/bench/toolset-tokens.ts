/**
 * Toolset output compactness: for every tool call the integration tests make against every
 * example scenario (evals/scenarios), tokens (o200k_base) of the model-facing text against
 * tokens of the raw upstream JSON it was made from. Targets: total ≤ 0.25, no tool above 0.5.
 */
import { basename } from 'node:path';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import { loadableScenarios, startScenarioToolbox } from '../../test/toolsets/scenario-toolbox.js';
import { toolCallsForScenario } from '../../test/toolsets/tool-params-for-scenario.js';

/** Below this many raw tokens a call's ratio says more about fixed headers than compaction. */
const TINY_RAW_TOKENS = 200;
const TOTAL_TARGET = 0.25;
const TOOL_TARGET = 0.5;

interface Measured {
  scenario: string;
  tool: string;
  purpose: string;
  status: string;
  textTokens: number;
  rawTokens: number;
  note?: string;
}

function ratio(text: number, raw: number): string {
  return raw > 0 ? (text / raw).toFixed(2) : '—';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

async function measureAll(): Promise<{ measured: Measured[]; skipped: string[] }> {
  const countTokens = await loadTokenCounter();
  const { scenarios, skipped } = await loadableScenarios();
  const measured: Measured[] = [];
  for (const { scenario } of scenarios) {
    const live = await startScenarioToolbox(scenario, { keepRaw: true });
    try {
      const { calls, problems } = toolCallsForScenario(scenario, live.toolbox.tools());
      for (const problem of problems) process.stdout.write(`  ${scenario.id}: ${problem}\n`);
      for (const call of calls) {
        const result = await live.toolbox.run(call.tool, call.params);
        measured.push({
          scenario: scenario.id,
          tool: call.tool,
          purpose: call.purpose,
          status: result.status,
          textTokens: countTokens(result.text),
          rawTokens: (result.raw ?? []).reduce((sum, body) => sum + countTokens(body), 0),
          ...(result.status === 'error' ? { note: result.error ?? result.text } : {}),
        });
      }
    } finally {
      await live.close();
    }
  }
  return { measured, skipped: skipped.map((entry) => `${basename(entry.dir)}: ${entry.reason}`) };
}

export async function run(): Promise<void> {
  const { measured, skipped } = await measureAll();
  for (const line of skipped) process.stdout.write(`skipped scenario ${line}\n`);
  const counted = measured.filter((entry) => entry.status !== 'error' && entry.rawTokens >= TINY_RAW_TOKENS);
  const tiny = measured.filter((entry) => entry.status !== 'error' && entry.rawTokens < TINY_RAW_TOKENS);
  const errors = measured.filter((entry) => entry.status === 'error');
  const tools = [...new Set(measured.map((entry) => entry.tool))].sort();
  const rows = [['tool', 'calls', 'text tok', 'raw tok', 'ratio', 'worst call', 'tiny-raw calls', 'target']];
  const overTarget: string[] = [];
  for (const tool of tools) {
    const mine = counted.filter((entry) => entry.tool === tool);
    const text = mine.reduce((sum, entry) => sum + entry.textTokens, 0);
    const raw = mine.reduce((sum, entry) => sum + entry.rawTokens, 0);
    const worst = mine.reduce((max, entry) => Math.max(max, entry.textTokens / entry.rawTokens), 0);
    const over = raw > 0 && text / raw > TOOL_TARGET;
    if (over) overTarget.push(tool);
    rows.push([
      tool,
      String(mine.length),
      String(text),
      String(raw),
      ratio(text, raw),
      mine.length ? worst.toFixed(2) : '—',
      String(tiny.filter((entry) => entry.tool === tool).length),
      over ? `ABOVE ${TOOL_TARGET}` : `≤ ${TOOL_TARGET}`,
    ]);
  }
  const text = counted.reduce((sum, entry) => sum + entry.textTokens, 0);
  const raw = counted.reduce((sum, entry) => sum + entry.rawTokens, 0);
  rows.push([
    'TOTAL',
    String(counted.length),
    String(text),
    String(raw),
    ratio(text, raw),
    '',
    String(tiny.length),
    `≤ ${TOTAL_TARGET}`,
  ]);
  const scenarioCount = new Set(measured.map((entry) => entry.scenario)).size;
  process.stdout.write(
    `${measured.length} tool calls against ${scenarioCount} scenarios; ratio = text tokens / raw upstream tokens (o200k_base), summed per tool.\n\n`,
  );
  process.stdout.write(`${table(rows)}\n\n`);
  process.stdout.write(
    `Total ratio ${ratio(text, raw)} (target ≤ ${TOTAL_TARGET}: ${raw > 0 && text / raw <= TOTAL_TARGET ? 'met' : 'NOT met'}); ` +
      `tools above ${TOOL_TARGET}: ${overTarget.length > 0 ? overTarget.join(', ') : 'none'}.\n`,
  );
  process.stdout.write(
    '"worst call" is the highest single-call ratio among counted calls: logs (pod_logs, unhealthy_containers) are passed through ' +
      'folded and with the date said once, so a short log costs about what it weighs; the per-tool sum is what the target applies to.\n',
  );
  process.stdout.write(
    `\nNot counted: ${tiny.length} calls whose raw answers were under ${TINY_RAW_TOKENS} tokens (empty results, an empty log, a short list). ` +
      'There the text is mostly its fixed framing (a title, "no series", "No events."), which a model needs to know nothing was found, ' +
      'and the ratio says nothing about compaction:\n',
  );
  const tinyRows = [['tool', 'calls', 'no_data', 'text tok', 'raw tok']];
  for (const tool of tools) {
    const mine = tiny.filter((entry) => entry.tool === tool);
    if (mine.length === 0) continue;
    const sum = (pick: (entry: Measured) => number) => String(mine.reduce((total, entry) => total + pick(entry), 0));
    tinyRows.push([
      tool,
      String(mine.length),
      String(mine.filter((entry) => entry.status === 'no_data').length),
      sum((entry) => entry.textTokens),
      sum((entry) => entry.rawTokens),
    ]);
  }
  process.stdout.write(`${table(tinyRows)}\n`);
  if (errors.length > 0) {
    process.stdout.write(`\n${errors.length} calls failed (a bug in a toolset or in the parameter derivation):\n`);
    for (const entry of errors)
      process.stdout.write(`  ${entry.scenario} ${entry.tool} (${entry.purpose}): ${entry.note}\n`);
  }
}
