import type { SlackConfig } from '../../config/slack-schema.js';
import type { Logger } from '../../core/logger.js';

export interface AccessRequest {
  user: string;
  channel: string;
  /** A direct message to Holmes. */
  direct: boolean;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string; message: string };

export interface AccessPolicyOptions {
  policy: SlackConfig['policy'];
  /** Members of a user group (usergroups.users.list); rejects when Slack cannot say. */
  groupMembers: (group: string) => Promise<string[]>;
  logger: Logger;
  /** How long a group's members are trusted before asking Slack again. */
  cacheMs?: number;
  now?: () => number;
}

/** Slack user ids are letters and digits; anything else is not embedded in a message. */
export const mention = (user: string) => (/^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : 'there');

/**
 * Who may ask Holmes what, and where: allowed channels, users and user groups, and direct
 * messages on or off. Empty lists allow everyone. A refusal is polite and names who can change it.
 */
export function createAccessPolicy(options: AccessPolicyOptions) {
  const { policy, logger } = options;
  const cacheMs = options.cacheMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { members: Set<string>; at: number }>();

  async function inGroups(user: string): Promise<{ member: boolean; unknown: boolean }> {
    let unknown = false;
    for (const group of policy.userGroups) {
      let entry = cache.get(group);
      if (!entry || now() - entry.at > cacheMs) {
        try {
          entry = { members: new Set(await options.groupMembers(group)), at: now() };
          cache.set(group, entry);
        } catch (error) {
          // Fail closed, but keep using a list Slack gave earlier if there is one.
          logger.warn({ group, error: (error as Error).message }, 'slack: cannot read user group members');
          if (!entry) {
            unknown = true;
            continue;
          }
        }
      }
      if (entry.members.has(user)) return { member: true, unknown: false };
    }
    return { member: false, unknown };
  }

  const admins = () => (policy.admins.length > 0 ? policy.admins.join(', ') : 'The people who run Holmes');

  function refuse(request: AccessRequest, reason: string, what: string): AccessDecision {
    return {
      allowed: false,
      reason,
      message: `Sorry ${mention(request.user)}, ${what}. ${admins()} can change this (\`slack.policy\` in Holmes's config).`,
    };
  }

  return {
    async check(request: AccessRequest): Promise<AccessDecision> {
      if (request.direct && !policy.dms)
        return refuse(
          request,
          'dms-off',
          'I do not answer direct messages here; ask me in a channel where I am invited',
        );
      if (!request.direct && policy.channels.length > 0 && !policy.channels.includes(request.channel))
        return refuse(request, 'channel', 'I only answer in the channels my policy lists, and this is not one of them');
      if (policy.users.length === 0 && policy.userGroups.length === 0) return { allowed: true };
      if (policy.users.includes(request.user)) return { allowed: true };
      const groups = await inGroups(request.user);
      if (groups.member) return { allowed: true };
      return refuse(
        request,
        'user',
        groups.unknown
          ? 'I could not check your user groups with Slack just now, so I cannot answer you; try again in a minute'
          : 'my policy does not list you (nor a user group of yours) among the people I answer',
      );
    },
  };
}

export type AccessPolicy = ReturnType<typeof createAccessPolicy>;
