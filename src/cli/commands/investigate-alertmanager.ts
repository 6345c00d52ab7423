import type { Alert } from '../../core/alert.js';
import { parseLimit } from '../parse-limit.js';
import { HolmesError } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';
import { createGraphWriter, prepareGraphDirectory, type GraphFile } from '../write-result-graphs.js';

export interface InvestigateAlertmanagerOptions extends SourceOptions {
  url: string;
  alertname?: string;
  /** `name=value`, repeatable. */
  label?: string[];
  /** Investigate at most this many alerts (oldest first). */
  limit?: string;
  /** Write each result's graphs as PNG files into this directory (given to `investigate`). */
  graphs?: string;
  /** Zero tokens even when models are configured. */
  deterministic?: boolean;
}

function parseLabels(values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values) {
    const index = value.indexOf('=');
    if (index <= 0)
      throw new HolmesError('USAGE', `--label ${value} is not name=value.`, {
        fix: 'Write --label namespace=search (repeat the flag for more labels).',
      });
    labels[value.slice(0, index)] = value.slice(index + 1);
  }
  return labels;
}

/**
 * `holmes investigate alertmanager`: pull mode. Reads the alerts firing now from Alertmanager
 * (GET only: neither silenced nor inhibited, filtered by name and labels) and investigates each.
 */
export async function investigateAlertmanagerCommand(
  context: CommandContext,
  options: InvestigateAlertmanagerOptions,
): Promise<void> {
  const labels = parseLabels(options.label ?? []);
  const limit = parseLimit(options.limit);
  if (options.graphs) await prepareGraphDirectory(options.graphs);
  const { fetchActiveAlerts } = await import('../../integrations/alertmanager/fetch-active-alerts.js');
  // Alertmanager is asked first: no lab is started for nothing, and a wrong --url fails fast.
  const firing = await fetchActiveAlerts({
    url: options.url,
    ...(options.alertname !== undefined ? { alertname: options.alertname } : {}),
    labels,
  });
  const alerts: Alert[] = firing.slice(0, limit);
  if (firing.length > limit)
    context.err.write(`${firing.length} alerts match; investigating the ${limit} oldest (raise --limit for more).\n`);
  if (alerts.length === 0) {
    context.err.write('No firing alerts match (silenced and inhibited alerts are left out).\n');
    if (context.json) writeJson(context, []);
    return;
  }
  const [{ createReasoner }, { renderResult }, { createProgress }, { reportReasoner }] = await Promise.all([
    import('../../agent/create-reasoner.js'),
    import('../render-investigation.js'),
    import('../agent-progress.js'),
    import('./investigate.js'),
  ]);
  const results = await withSources(context, options, async (config) => {
    const reasoner = await createReasoner(config, { deterministic: Boolean(options.deterministic) });
    reportReasoner(context, reasoner);
    const out: Array<InvestigationResult & { graphFiles?: GraphFile[] }> = [];
    const drawGraphs = options.graphs ? createGraphWriter(options.graphs, config) : undefined;
    const progress = createProgress(context);
    try {
      for (const [index, alert] of alerts.entries()) {
        const result = await reasoner.investigate(alert, {
          requester: 'cli',
          ...(progress ? { onEvent: progress.onEvent, onStep: progress.onStep } : {}),
        });
        progress?.pause();
        const graphs = await drawGraphs?.(result);
        out.push(graphs ? { ...result, graphFiles: graphs.files } : result);
        if (!context.json)
          context.out.write(
            `${index > 0 ? '\n' : ''}${terminalText(`── ${index + 1}/${alerts.length} · fingerprint ${alert.fingerprint} · firing since ${alert.startsAt}`)}\n${renderResult(result, graphs ? { graphs } : {})}\n`,
          );
      }
    } finally {
      progress?.close();
      reasoner.close();
    }
    return out;
  });
  if (context.json) writeJson(context, results);
}
