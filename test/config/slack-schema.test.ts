import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { redactConfig } from '../../src/config/redact-config.js';
import { HolmesError } from '../../src/core/errors.js';

const cwd = mkdtempSync(join(tmpdir(), 'holmes-slack-config-'));

function load(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'holmes-slack-config-')), 'holmes.yaml');
  writeFileSync(file, text);
  return loadConfig({ file, env: {}, cwd });
}

function issuesOf(text: string) {
  try {
    load(text);
  } catch (error) {
    if (HolmesError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('slack config section', () => {
  it('is absent by default, and takes references for its secrets, shown by origin only', () => {
    expect(load('{}\n').config.slack).toBeUndefined();
    const { config } = load(
      [
        'slack:',
        '  botToken: { env: SLACK_BOT_TOKEN }',
        '  signingSecret: { file: /var/run/secrets/slack/signing-secret }',
        '  apiUrl: http://127.0.0.1:3000/api',
        '  routes:',
        '    - { matchers: [\'team=~"gpu|ml"\', \'severity="critical"\'], channel: C0GPU }',
        '  defaultChannel: "#alerts"',
      ].join('\n'),
    );
    expect(config.slack).toMatchObject({
      mode: 'http',
      apiUrl: 'http://127.0.0.1:3000/api/',
      policy: { dms: true, channels: [], users: [], userGroups: [] },
    });
    const shown = redactConfig(config) as { slack: Record<string, unknown> };
    expect(shown.slack.botToken).toEqual({ env: 'SLACK_BOT_TOKEN' });
    expect(shown.slack.signingSecret).toEqual({ file: '/var/run/secrets/slack/signing-secret' });
  });

  it('refuses a literal token, a mode without its credential and a matcher that does not parse, each at its path', () => {
    expect(issuesOf('slack:\n  botToken: xoxb-123-456\n  signingSecret: { env: S }\n')).toEqual([
      'slack.botToken: Slack tokens and secrets are not written in the config: use { env: NAME } or { file: PATH }',
    ]);
    expect(issuesOf('slack:\n  botToken: { env: B }\n')).toEqual([
      "slack.signingSecret: HTTP mode verifies every request with the app's Signing Secret: set signingSecret, or mode: socket with appToken",
    ]);
    expect(issuesOf('slack:\n  mode: socket\n  botToken: { env: B }\n')).toEqual([
      'slack.appToken: Socket Mode needs an App-Level Token with connections:write: set appToken',
    ]);
    expect(
      issuesOf(
        'slack:\n  botToken: { env: B }\n  appToken: { env: A }\n  mode: socket\n  routes: [{ matchers: [team], channel: C1 }]\n',
      ),
    ).toEqual([
      'slack.routes[0].matchers[0]: \'team\' is not a matcher: write name="value", name!="value", name=~"regex" or name!~"regex"',
    ]);
  });
});
