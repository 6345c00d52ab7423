import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

export interface ReplayOptions {
  brief?: boolean;
}

/** `holmes replay ID`: re-renders a recorded investigation step by step, calling no model and no tool. */
export async function replayCommand(context: CommandContext, id: string, options: ReplayOptions): Promise<void> {
  const [{ openRecords }, { renderRecord }] = await Promise.all([
    import('./investigations.js'),
    import('../../agent/render-record.js'),
  ]);
  const store = await openRecords(context);
  try {
    const record = await store.records.get(id);
    if (context.json) return writeJson(context, { ...record, result: undefined });
    context.out.write(renderRecord(record, { brief: Boolean(options.brief) }));
  } finally {
    await store.close();
  }
}
