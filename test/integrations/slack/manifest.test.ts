import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MANIFEST, manifestScopes, METHOD_SCOPES } from './fixtures/slack-stand-in.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url?: string }>; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const SOCKET = new URL('../../../src/integrations/slack/manifest-socket-mode.yaml', import.meta.url);
const read = (file: URL) => parse(readFileSync(file, 'utf8')) as Manifest;

/** The scope each subscription needs (Slack's events and commands reference). */
const EVENT_SCOPES: Record<string, string> = { app_mention: 'app_mentions:read', 'message.im': 'im:history' };

describe('Slack app manifests', () => {
  it('grant exactly the scopes of the methods Holmes calls and the events it receives, nothing more', () => {
    const http = read(MANIFEST);
    const needed = new Set([
      ...Object.values(METHOD_SCOPES).filter((scope): scope is string => scope !== null),
      ...http.settings.event_subscriptions.bot_events.map((event) => EVENT_SCOPES[event]!),
      'commands',
    ]);
    expect([...manifestScopes()].sort()).toEqual([...needed].sort());
    expect(manifestScopes(SOCKET).sort()).toEqual([...needed].sort());
  });

  it('point every request URL at /slack/events in HTTP mode, and none in Socket Mode', () => {
    const http = read(MANIFEST);
    const urls = [
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
      ...http.features.slash_commands.map((command) => command.url),
    ];
    expect(urls.every((url) => url?.endsWith('/slack/events'))).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
    const socket = read(SOCKET);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain('request_url');
    for (const manifest of [http, socket]) {
      expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/holmes']);
      expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_mention', 'message.im']);
      expect(manifest.settings.interactivity.is_enabled).toBe(true);
      expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    }
  });
});
