import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Alert } from '../../src/core/alert.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { createLogger } from '../../src/core/logger.js';
import { holmesMcpFactory } from '../../src/mcp/holmes-mcp-factory.js';
import { sqliteStoreParts } from '../fixtures/store-site.js';
import { openDatabase } from '../../src/ledger/open-database.js';
import { ALERT, createFakeInvestigator } from '../agent/fake-investigator.js';

describe('holmesMcpFactory', () => {
  it('runs no more investigations at once, across sessions, than server.concurrency', async () => {
    const fake = await createFakeInvestigator();
    const running: string[] = [];
    let most = 0;
    const release: Array<() => void> = [];
    const investigator = {
      ...fake,
      investigate: async (alert: Alert) => {
        running.push(alert.labels.alertname!);
        most = Math.max(most, running.length);
        await new Promise<void>((resolve) => release.push(resolve));
        running.splice(running.indexOf(alert.labels.alertname!), 1);
        return fake.investigate(alert);
      },
    };
    const create = holmesMcpFactory({
      investigator,
      store: sqliteStoreParts(openDatabase({ path: ':memory:' })),
      config: configSchema.parse({ server: { concurrency: 1 } }),
      logger: await createLogger({ level: 'silent' }),
      render: (result: InvestigationResult) => result.rootCause?.id ?? '',
    });
    const clients = await Promise.all(
      ['one', 'two'].map(async (name) => {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await create().connect(serverSide);
        const client = new Client({ name, version: '1' });
        await client.connect(clientSide);
        return client;
      }),
    );
    const calls = ['A', 'B'].map((alertname, index) =>
      clients[index]!.callTool({
        name: 'investigate',
        arguments: { labels: { ...ALERT.labels, alertname } },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running).toHaveLength(1);
    while (release.length > 0 || running.length > 0) {
      release.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const results = await Promise.all(calls);
    expect(results.map((result) => result.isError)).toEqual([undefined, undefined]);
    expect(most).toBe(1);
  });
});
