import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { HolmesError } from '../../src/core/errors.js';
import { startServer } from '../../src/server/start-server.js';

// Nothing listens here: a refusal must come before the store is opened.
const postgres = { url: 'postgres://holmes@127.0.0.1:9/holmes' };
const jira = {
  url: 'https://example.atlassian.net',
  email: 'holmes@example.com',
  apiToken: { env: 'HOLMES_TEST_UNUSED_JIRA_TOKEN' },
  project: 'OPS',
};

describe('startServer', () => {
  it('refuses Jira on the PostgreSQL store, naming the fix, before connecting to it', async () => {
    const config = configSchema.parse({ storage: { postgres }, jira, server: { allowUnauthenticated: true } });
    const started = startServer({ config, logger: pino({ level: 'silent' }), run: async () => undefined as never });
    await expect(started).rejects.toBeInstanceOf(HolmesError);
    await expect(started).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('Jira does not run on the PostgreSQL store yet'),
      fix: expect.stringContaining('Remove storage.postgres'),
    });
  });
});
