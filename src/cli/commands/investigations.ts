import { formatUsd } from '../../core/format-usd.js';
import type { CommandContext } from '../command-context.js';
import { terminalText } from '../../core/terminal-text.js';
import { writeJson } from '../command-context.js';

export interface InvestigationsListOptions {
  limit?: string;
  state?: string;
  team?: string;
}

/** The configured store (SQLite or PostgreSQL): where the agent and `holmes serve` write their records. */
export async function openRecords(context: CommandContext) {
  const { openStore } = await import('../../ledger/open-store.js');
  return openStore(context.config.storage);
}

/** `holmes investigations list`: the recorded investigations and questions, newest first. */
export async function investigationsList(context: CommandContext, options: InvestigationsListOptions): Promise<void> {
  const { HolmesError } = await import('../../core/errors.js');
  const limit = Number(options.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new HolmesError('USAGE', `--limit ${options.limit} is not a positive number.`, {
      fix: 'Give --limit N, e.g. --limit 50.',
    });
  const store = await openRecords(context);
  try {
    const rows = await store.records.list({ limit, state: options.state, team: options.team });
    if (context.json) return writeJson(context, rows);
    if (rows.length === 0) {
      context.out.write(`No investigation records in ${store.location}. \`holmes ask\` and the agent write them.\n`);
      return;
    }
    for (const row of rows) {
      const cost = row.usd > 0 ? ` ${formatUsd(row.usd)}` : '';
      context.out.write(
        `${terminalText(`${row.id.slice(0, 8)}  ${row.startedAt.slice(0, 19)}Z  ${row.state.padEnd(15)} ${(row.mode ?? '-').padEnd(13)} ${(row.team ?? '-').padEnd(12)} ${row.rootCause ?? '-'}  ${row.inputTokens + row.outputTokens} tokens${cost}  ${row.kind === 'question' ? `"${row.subject.slice(0, 60)}"` : row.subject}`)}\n`,
      );
    }
  } finally {
    await store.close();
  }
}

/** `holmes investigations show ID`: one record's result (an id prefix is enough). */
export async function investigationsShow(context: CommandContext, id: string): Promise<void> {
  const [{ renderResult }] = await Promise.all([import('../render-investigation.js')]);
  const store = await openRecords(context);
  try {
    const record = await store.records.get(id);
    if (context.json) return writeJson(context, record);
    if (record.result) context.out.write(renderResult(record.result as Parameters<typeof renderResult>[0]));
    else
      context.out.write(
        `${record.kind === 'alert' ? 'Alert' : 'Question'} ${terminalText(record.subject)}\nRecord ${record.id} · ${record.state}${record.error ? ` · ${terminalText(record.error)}` : ''}\nNo result was stored (${record.state === 'running' ? 'still running' : 'it did not finish'}); \`holmes replay ${record.id.slice(0, 8)}\` shows the steps it made.\n`,
      );
  } finally {
    await store.close();
  }
}
