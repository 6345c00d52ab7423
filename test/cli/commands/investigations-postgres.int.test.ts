import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import { openStore } from '../../../src/ledger/open-store.js';
import { useThrowawayCluster } from '../../fixtures/throwaway-cluster.js';
import { createSandbox, runCli, type Sandbox } from '../run-cli.js';

let sandbox: Sandbox;

/**
 * The agent's records on PostgreSQL: what one replica's agent wrote, `holmes investigations` and
 * `holmes replay` read from anywhere the config points at the same store.
 */
describe('holmes investigations and holmes replay on PostgreSQL', () => {
  const cluster = useThrowawayCluster();
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it("lists, shows and replays a record another replica's agent wrote, and keeps no SQLite file", async () => {
    const url = await cluster().createDatabase();
    const replica = await openStore(configSchema.parse({ storage: { postgres: { url } } }).storage);
    try {
      const id = await replica.records.begin({ kind: 'question', subject: 'which pods share GPU 3?', team: 'chat' });
      await replica.records.appendStep(id, 'admission', { mode: 'llm', team: 'chat' });
      await replica.records.appendStep(id, 'tool-call', { name: 'gpu_sharing', status: 'success', output: 'x' }, 40);
      await replica.records.finish(id, {
        state: 'completed',
        mode: 'llm',
        rootCause: 'gpu-noisy-neighbor',
        inputTokens: 1_200,
        outputTokens: 300,
        usd: 0.004,
        result: { id, status: 'completed' },
      });
      const config = await sandbox.write('holmes.yaml', `storage:\n  postgres:\n    url: ${url}\n`);

      const list = await runCli(sandbox, ['--config', config, '--json', 'investigations', 'list']);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([
        expect.objectContaining({ id, state: 'completed', team: 'chat', rootCause: 'gpu-noisy-neighbor' }),
      ]);
      const show = await runCli(sandbox, ['--config', config, '--json', 'investigations', 'show', id.slice(0, 8)]);
      expect(show.code).toBe(0);
      expect(JSON.parse(show.stdout)).toMatchObject({ id, result: { status: 'completed' } });
      const replay = await runCli(sandbox, ['--config', config, '--json', 'replay', id.slice(0, 8)]);
      expect(replay.code).toBe(0);
      expect(JSON.parse(replay.stdout).steps.map((step: { kind: string }) => step.kind)).toEqual([
        'admission',
        'tool-call',
      ]);
      expect(existsSync(join(sandbox.dir, '.holmes'))).toBe(false);
    } finally {
      await replica.close();
    }
  });
});
