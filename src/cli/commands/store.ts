import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

/** `holmes store migrate`: brings the configured store to this version's schema (under a lock on PostgreSQL). */
export async function storeMigrate(context: CommandContext): Promise<void> {
  const [{ storeStatus }, { openStore }] = await Promise.all([
    import('../../ledger/store-status.js'),
    import('../../ledger/open-store.js'),
  ]);
  const before = await storeStatus(context.config.storage);
  const store = await openStore(context.config.storage);
  await store.close();
  const after = await storeStatus(context.config.storage);
  if (context.json) return writeJson(context, { ...after, from: before.version });
  context.out.write(
    before.version === after.version
      ? `${after.kind} store at ${after.location}: schema version ${after.version}, nothing to migrate.\n`
      : `${after.kind} store at ${after.location}: migrated from schema version ${before.version} to ${after.version}.\n`,
  );
}

/** `holmes store check`: reachable, and at the schema version this Holmes expects; changes nothing. */
export async function storeCheck(context: CommandContext): Promise<void> {
  const [{ storeStatus }, { HolmesError }] = await Promise.all([
    import('../../ledger/store-status.js'),
    import('../../core/errors.js'),
  ]);
  const status = await storeStatus(context.config.storage);
  if (context.json) writeJson(context, { ...status, ok: status.version === status.expected });
  else
    context.out.write(
      `${status.kind} store at ${status.location}: reachable, schema version ${status.version} (this Holmes expects ${status.expected}).\n`,
    );
  if (status.version < status.expected)
    throw new HolmesError(
      'CONFIG_INVALID',
      `The store is at schema version ${status.version}; this Holmes expects ${status.expected}.`,
      {
        fix: 'Run `holmes store migrate` (holmes serve also migrates at start).',
      },
    );
  if (status.version > status.expected)
    throw new HolmesError(
      'CONFIG_INVALID',
      `The store is at schema version ${status.version}, newer than this Holmes (${status.expected}).`,
      {
        fix: 'Run the newer Holmes that migrated it.',
      },
    );
}
