import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

export interface ReplayOptions {
  brief?: boolean;
}

/** `holmes replay ID`: re-renders a recorded investigation step by step, calling no model and no tool. */
export async function replayCommand(context: CommandContext, id: string, options: ReplayOptions): Promise<void> {
  const [{ openDatabase }, { createRecordStore }, { renderRecord }] = await Promise.all([
    import('../../ledger/open-database.js'),
    import('../../ledger/record-store.js'),
    import('../../agent/render-record.js'),
  ]);
  const db = openDatabase({ path: context.config.storage.path, synchronous: context.config.storage.synchronous });
  try {
    const record = createRecordStore(db).get(id);
    if (context.json) return writeJson(context, { ...record, result: undefined });
    context.out.write(renderRecord(record, { brief: Boolean(options.brief) }));
  } finally {
    db.close();
  }
}
