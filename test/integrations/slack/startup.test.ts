import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { openDatabase } from '../../../src/ledger/open-database.js';
import { startSlackServer } from './fixtures/slack-server.js';
import { slackTestbed } from './fixtures/slack-testbed.js';

const bed = slackTestbed();

describe('holmes serve with a slack section, at start', () => {
  it('refuses to start with a bot token Slack rejects, saying how to fix it, and leaves the store closed', async () => {
    process.env.TEST_SLACK_WRONG_TOKEN = 'xoxb-revoked';
    const error = await startSlackServer({
      standIn: bed.standIn,
      storagePath: bed.path,
      slack: { botToken: { env: 'TEST_SLACK_WRONG_TOKEN' } },
    }).catch((caught: unknown) => caught);
    expect(HolmesError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'Slack refused the bot token (auth.test: invalid_auth).',
      fix: expect.stringContaining('Bot User OAuth Token'),
    });
    // The store was closed on the way out: another process can open and write it.
    const db = openDatabase({ path: bed.path });
    expect(() => db.exec('BEGIN IMMEDIATE; COMMIT;')).not.toThrow();
    db.close();
  });
});
