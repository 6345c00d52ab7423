import { constants } from 'node:fs';
import { parseLimit } from '../parse-limit.js';
import { open } from 'node:fs/promises';
import type { Alert } from '../../core/alert.js';
import type { Reasoner } from '../../agent/create-reasoner.js';
import { HolmesError } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
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
  /** Investigate at most this many groups of the file. */
  limit?: string;
}

/** An alert file is a webhook body or a list of alerts; past this it is the wrong file (or an attack). */
const MAX_ALERT_FILE_BYTES = 10 * 1024 * 1024;
/** Groups investigated from one file unless --limit says otherwise (as pull mode). */

/** The file's text: a regular file of at most MAX_ALERT_FILE_BYTES (a FIFO would block forever). */
async function readAlertFile(file: string): Promise<string> {
  const unreadable = new HolmesError('USAGE', `Cannot read the alert file ${file}.`, {
    fix: 'Give the path of a JSON or YAML file holding one alert, a list, or an Alertmanager webhook body.',
  });
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang before we can tell it is one.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw unreadable;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new HolmesError('USAGE', `The alert file ${file} is not a regular file (a directory, FIFO or device).`, {
        fix: 'Save the alerts to a file first, e.g. `amtool alert query -o json > alerts.json`.',
      });
    }
    // Read at most one byte past the limit: a file that grows while read is caught too.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_ALERT_FILE_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > MAX_ALERT_FILE_BYTES) {
      throw new HolmesError(
        'USAGE',
        `The alert file ${file} is larger than ${MAX_ALERT_FILE_BYTES / 1024 / 1024} MB.`,
        {
          fix: 'Give one webhook body or a list of the alerts to investigate (a storm of one alert needs one of them), or filter it first, e.g. with jq.',
        },
      );
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (HolmesError.isInstance(error)) throw error;
    throw unreadable;
  } finally {
    await handle.close();
  }
}

async function readAlerts(file: string): Promise<Alert[]> {
  const [{ parse }, { parseAlertInput }] = await Promise.all([
    import('yaml'),
    import('../../integrations/alertmanager/parse-alert-input.js'),
  ]);
  const text = await readAlertFile(file);
  let value: unknown;
  try {
    // JSON is parsed as JSON (YAML's parser takes many times its memory); anything else as YAML,
    // whose aliases may not expand past a bound (a "billion laughs" file).
    value = /^\s*[[{]/.test(text) ? JSON.parse(text) : parse(text, { maxAliasCount: 100 });
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
  const limit = parseLimit(options.limit);
  const fileAlerts = options.alertFile ? await readAlerts(options.alertFile) : undefined;
  if (options.graphs) await prepareGraphDirectory(options.graphs);
  const [{ createReasoner }, { renderResult }, { createProgress }, { groupAlerts }] = await Promise.all([
    import('../../agent/create-reasoner.js'),
    import('../render-investigation.js'),
    import('../agent-progress.js'),
    import('../../integrations/alertmanager/group-alerts.js'),
  ]);
  // One investigation per group, as the server does: a storm of one alert is one investigation.
  const groups = fileAlerts ? groupAlerts(fileAlerts) : [];
  if (groups.length > limit)
    context.err.write(
      `${groups.length} groups of alerts in the file; investigating the first ${limit} (raise --limit for more).\n`,
    );
  const chosen = groups.slice(0, limit);
  const results = await withSources(context, options, async (config, scenario) => {
    const alerts = fileAlerts ? chosen.map((group) => group.lead) : scenario ? [scenario.alert] : [];
    const reasoner = await createReasoner(config, { deterministic: Boolean(options.deterministic) });
    reportReasoner(context, reasoner);
    const progress = createProgress(context);
    const out = [];
    // Drawn once each investigation has finished; a graph that fails goes under NOT CHECKED.
    const drawGraphs = options.graphs ? createGraphWriter(options.graphs, config) : undefined;
    try {
      for (const [index, alert] of alerts.entries()) {
        const group = chosen[index];
        if (group && (chosen.length > 1 || group.alerts.length > 1) && !context.json)
          context.out.write(
            `${terminalText(`── group ${index + 1}/${chosen.length} · ${group.key} · ${group.alerts.length} alert${group.alerts.length > 1 ? 's' : ''}, investigated from fingerprint ${alert.fingerprint}`)}\n`,
          );
        const result = await reasoner.investigate(alert, {
          requester: 'cli',
          ...(progress ? { onEvent: progress.onEvent, onStep: progress.onStep } : {}),
        });
        progress?.pause();
        const graphs = await drawGraphs?.(result);
        out.push(graphs ? { ...result, graphFiles: graphs.files } : result);
        if (!context.json) context.out.write(`${renderResult(result, graphs ? { graphs } : {})}\n`);
      }
    } finally {
      progress?.close();
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
