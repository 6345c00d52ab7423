import { alertSchema, type Alert } from '../../core/alert.js';
import { HolmesError } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';

export interface InvestigateJiraOptions extends SourceOptions {
  jql: string;
  /** Comment each result back on its ticket. */
  update?: boolean;
  limit?: string;
  deterministic?: boolean;
}

interface TicketOutcome {
  key: string;
  url: string;
  /** `alert`: the alert Holmes recorded on the ticket; `text`: the ticket's summary and description, as a question. */
  investigated: 'alert' | 'text' | null;
  skipped?: string;
  commented: boolean;
  result?: InvestigationResult;
}

const DEFAULT_LIMIT = 20;
/** The longest question the agent takes (as POST /api/v1/ask). */
const MAX_QUESTION = 4_000;

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new HolmesError('USAGE', `--limit ${value} is not a whole number from 1 to 100.`, {
      fix: 'Write e.g. --limit 5.',
    });
  return limit;
}

/**
 * `holmes investigate jira --jql QUERY [--update]`: investigates the tickets a JQL query finds —
 * the alert Holmes recorded on its own tickets, or the text of any other as a question for the
 * agent — and with --update comments each result back on its ticket.
 */
export async function investigateJiraCommand(context: CommandContext, options: InvestigateJiraOptions): Promise<void> {
  const jira = context.config.jira;
  if (!jira)
    throw new HolmesError('USAGE', 'The config has no jira section.', {
      fix: 'Add jira: { url, email, apiToken: { env: JIRA_API_TOKEN } } (Jira Cloud) or jira: { url, personalAccessToken: { env: … } } (Data Center).',
    });
  const limit = parseLimit(options.limit);
  const { createJiraClient, classifyJiraError, jiraHolmesError, documentText, ticketBody } =
    await import('../../integrations/jira/index.js');
  const api = createJiraClient(jira);
  const jiraCall = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw jiraHolmesError(classifyJiraError(error, operation));
    }
  };
  const tickets = await jiraCall('search --jql', () => api.search(options.jql, limit));
  if (tickets.length === 0) {
    context.err.write('No tickets match the JQL.\n');
    if (context.json) writeJson(context, []);
    return;
  }
  // Loaded once Jira has answered: a wrong URL, token or JQL fails fast.
  const [{ createReasoner }, { renderResult }, { createProgress }, { reportReasoner }] = await Promise.all([
    import('../../agent/create-reasoner.js'),
    import('../render-investigation.js'),
    import('../agent-progress.js'),
    import('./investigate.js'),
  ]);
  const outcomes = await withSources(context, options, async (config) => {
    const reasoner = await createReasoner(config, { deterministic: Boolean(options.deterministic) });
    reportReasoner(context, reasoner);
    // On a terminal: what happens as it happens (stderr), as `holmes investigate` shows it.
    const progress = createProgress(context);
    const out: TicketOutcome[] = [];
    try {
      for (const ticket of tickets) {
        const outcome: TicketOutcome = { key: ticket.key, url: ticket.url, investigated: null, commented: false };
        out.push(outcome);
        const alert = alertSchema.safeParse(ticket.holmes?.alert);
        let alerts: Alert[] = [];
        if (alert.success) {
          alerts = [alert.data];
          outcome.investigated = 'alert';
          outcome.result = await reasoner.investigate(alert.data, {
            requester: 'cli',
            ...(progress ? { onEvent: progress.onEvent, onStep: progress.onStep } : {}),
          });
        } else if (reasoner.agent) {
          const text = `${ticket.summary}\n${documentText(ticket.description)}`.trim().slice(0, MAX_QUESTION);
          outcome.investigated = 'text';
          outcome.result = await reasoner.agent.ask(`Jira ticket ${ticket.key}: ${text}`, {
            requester: 'cli',
            ...(progress ? { onEvent: progress.onEvent } : {}),
          });
        } else {
          outcome.skipped =
            'no alert recorded by Holmes on this ticket; its text is a question for the LLM agent, and no model is configured (add models to the config)';
          context.err.write(`${ticket.key}: skipped: ${outcome.skipped}.\n`);
          continue;
        }
        progress?.pause();
        if (!context.json)
          context.out.write(`${terminalText(`── ${ticket.key} · ${ticket.url}`)}\n${renderResult(outcome.result)}\n`);
        if (!options.update) continue;
        const body = ticketBody(outcome.result, alerts, { lead: 'Holmes investigated this ticket' });
        if (jira.dryRun) {
          context.logger.info({ dryRun: true, key: ticket.key, body }, 'Jira dry run: would comment the result');
          continue;
        }
        await jiraCall('comment', () => api.addComment(ticket.key, body));
        outcome.commented = true;
        context.err.write(`${ticket.key}: result commented.\n`);
      }
    } finally {
      progress?.close();
      reasoner.close();
    }
    return out;
  });
  if (context.json) writeJson(context, outcomes);
}
