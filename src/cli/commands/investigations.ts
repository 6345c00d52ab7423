import { formatUsd } from '../../core/format-usd.js';
import type { CommandContext } from '../command-context.js';
import { terminalText } from '../../core/terminal-text.js';
import { writeJson } from '../command-context.js';

export interface InvestigationsListOptions {
  limit?: string;
  state?: string;
  team?: string;
}

async function openRecords(context: CommandContext) {
  const [{ openDatabase }, { createRecordStore }] = await Promise.all([
    import('../../ledger/open-database.js'),
    import('../../ledger/record-store.js'),
  ]);
  const db = openDatabase({ path: context.config.storage.path, synchronous: context.config.storage.synchronous });
  return { db, records: createRecordStore(db) };
}

/** `holmes investigations list`: the recorded investigations and questions, newest first. */
export async function investigationsList(context: CommandContext, options: InvestigationsListOptions): Promise<void> {
  const { HolmesError } = await import('../../core/errors.js');
  const limit = Number(options.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new HolmesError('USAGE', `--limit ${options.limit} is not a positive number.`, {
      fix: 'Give --limit N, e.g. --limit 50.',
    });
  const { db, records } = await openRecords(context);
  try {
    const rows = records.list({ limit, state: options.state, team: options.team });
    if (context.json) return writeJson(context, rows);
    if (rows.length === 0) {
      context.out.write(
        `No investigation records in ${context.config.storage.path}. \`holmes ask\` and the agent write them.\n`,
      );
      return;
    }
    for (const row of rows) {
      const cost = row.usd > 0 ? ` ${formatUsd(row.usd)}` : '';
      context.out.write(
        `${terminalText(`${row.id.slice(0, 8)}  ${row.startedAt.slice(0, 19)}Z  ${row.state.padEnd(15)} ${(row.mode ?? '-').padEnd(13)} ${(row.team ?? '-').padEnd(12)} ${row.rootCause ?? '-'}  ${row.inputTokens + row.outputTokens} tokens${cost}  ${row.kind === 'question' ? `"${row.subject.slice(0, 60)}"` : row.subject}`)}\n`,
      );
    }
  } finally {
    db.close();
  }
}

/** `holmes investigations show ID`: one record's result (an id prefix is enough). */
export async function investigationsShow(context: CommandContext, id: string): Promise<void> {
  const [{ renderResult }] = await Promise.all([import('../render-investigation.js')]);
  const { db, records } = await openRecords(context);
  try {
    const record = records.get(id);
    if (context.json) return writeJson(context, record);
    if (record.result) context.out.write(renderResult(record.result as Parameters<typeof renderResult>[0]));
    else
      context.out.write(
        `${record.kind === 'alert' ? 'Alert' : 'Question'} ${terminalText(record.subject)}\nRecord ${record.id} · ${record.state}${record.error ? ` · ${terminalText(record.error)}` : ''}\nNo result was stored (${record.state === 'running' ? 'still running' : 'it did not finish'}); \`holmes replay ${record.id.slice(0, 8)}\` shows the steps it made.\n`,
      );
  } finally {
    db.close();
  }
}
