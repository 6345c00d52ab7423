import { readFile } from 'node:fs/promises';
import type { Alert } from '../../core/alert.js';
import type { InvestigationStep } from '../../core/investigation.js';
import type { Reasoner } from '../../agent/create-reasoner.js';
import { HolmesError } from '../../core/errors.js';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';
import { createGraphWriter, prepareGraphDirectory } from '../write-result-graphs.js';

export interface InvestigateCommandOptions extends SourceOptions {
  alertFile?: string;
  /** Zero tokens even when models are configured. */
  deterministic?: boolean;
  /** Write the result's graphs as PNG files into this directory. */
  graphs?: string;
}

async function readAlerts(file: string): Promise<Alert[]> {
  const [{ parse }, { parseAlertInput }] = await Promise.all([
    import('yaml'),
    import('../../integrations/alertmanager/parse-alert-input.js'),
  ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new HolmesError('USAGE', `Cannot read the alert file ${file}.`, {
      fix: 'Give the path of a JSON or YAML file holding one alert or an Alertmanager webhook body.',
    });
  }
  let value: unknown;
  try {
    value = parse(text); // YAML is a superset of JSON: both work.
  } catch (error) {
    throw new HolmesError(
      'ALERT_INVALID',
      `The alert file ${file} is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`,
      { fix: 'Check the syntax of the file.' },
    );
  }
  return parseAlertInput(value, { source: 'file' });
}

/** `holmes investigate`: the deterministic investigation of an alert (file) or of a scenario in the lab. */
export async function investigateCommand(context: CommandContext, options: InvestigateCommandOptions): Promise<void> {
  if (!options.alertFile && !options.scenario) {
    throw new HolmesError('USAGE', 'Nothing to investigate.', {
      fix: 'Pass --alert-file FILE (an alert or webhook body) or --scenario DIR (a frozen incident, run in the lab).',
    });
  }
  const fileAlerts = options.alertFile ? await readAlerts(options.alertFile) : undefined;
  if (options.graphs) await prepareGraphDirectory(options.graphs);
  const [{ createReasoner }, { renderResult }, { agentProgress }] = await Promise.all([
    import('../../agent/create-reasoner.js'),
    import('../render-investigation.js'),
    import('./ask.js'),
  ]);
  const results = await withSources(context, options, async (config, scenario) => {
    const alerts = fileAlerts ?? (scenario ? [scenario.alert] : []);
    const reasoner = await createReasoner(config, { deterministic: Boolean(options.deterministic) });
    reportReasoner(context, reasoner);
    const tty = Boolean((context.err as NodeJS.WriteStream).isTTY) && !context.json;
    const out = [];
    // Drawn once each investigation has finished; a graph that fails goes under NOT CHECKED.
    const drawGraphs = options.graphs ? createGraphWriter(options.graphs, config) : undefined;
    try {
      for (const alert of alerts) {
        const result = await reasoner.investigate(alert, {
          requester: 'cli',
          onEvent: agentProgress(context),
          ...(tty ? { onStep: stepProgress(context) } : {}),
        });
        const graphs = await drawGraphs?.(result);
        out.push(graphs ? { ...result, graphFiles: graphs.files } : result);
        if (!context.json) context.out.write(`${renderResult(result, graphs ? { graphs } : {})}\n`);
      }
    } finally {
      reasoner.close();
    }
    return out;
  });
  if (context.json) writeJson(context, results.length === 1 ? results[0] : results);
}

/** Says, once, what the reasoner could not load and which models warned: the same for every entry point. */
export function reportReasoner(context: CommandContext, reasoner: Reasoner): void {
  for (const failure of reasoner.investigator.runbooks.failures)
    context.logger.warn({ file: failure.file, issues: failure.issues }, 'runbook skipped: invalid');
  for (const warning of reasoner.warnings) context.logger.warn(warning);
}

function stepProgress(context: CommandContext) {
  return (step: InvestigationStep) =>
    context.err.write(
      `  ${step.kind.padEnd(8)} ${step.message}${step.durationMs !== undefined ? ` (${step.durationMs} ms)` : ''}\n`,
    );
}
