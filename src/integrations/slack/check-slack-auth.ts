import { webApi } from '@slack/bolt';
import { HolmesError } from '../../core/errors.js';

export interface SlackIdentity {
  team: string;
  user: string;
  botUserId: string;
  botId: string;
}

/** Errors that mean the token itself is wrong: no retry helps, the config must change. */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/**
 * `auth.test` with the bot token (for `holmes serve` at start, and `holmes doctor`): who the bot is,
 * a config error for a wrong token, undefined when Slack cannot be reached (an outage blocks nothing).
 */
export async function checkSlackAuth(
  client: InstanceType<typeof webApi.WebClient>,
): Promise<{ ok: true; identity: SlackIdentity } | { ok: false; unreachable: string }> {
  try {
    const response = await client.auth.test();
    return {
      ok: true,
      identity: {
        team: response.team ?? '?',
        user: response.user ?? '?',
        botUserId: response.user_id ?? '',
        botId: response.bot_id ?? '',
      },
    };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code && BAD_TOKEN.has(code))
      throw new HolmesError('CONFIG_INVALID', `Slack refused the bot token (auth.test: ${code}).`, {
        cause: error,
        fix: 'Copy the Bot User OAuth Token (xoxb-…) from the app\'s "OAuth & Permissions" page into the secret slack.botToken points at; reinstall the app if it was revoked.',
      });
    return { ok: false, unreachable: code ?? (error as Error).message };
  }
}
