import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { createAccessPolicy } from '../../../src/integrations/slack/access-policy.js';

const policy = (overrides: Record<string, unknown> = {}) => ({
  channels: [],
  users: [],
  userGroups: [],
  dms: true,
  admins: [],
  ...overrides,
});

describe('createAccessPolicy', () => {
  it('allows everyone when the lists are empty, and refuses by channel with a fallback for who can change it', async () => {
    const logger = await createLogger({ level: 'silent' });
    const open = createAccessPolicy({ policy: policy(), groupMembers: async () => [], logger });
    expect(await open.check({ user: 'U1', channel: 'C1', direct: false })).toEqual({ allowed: true });
    const closed = createAccessPolicy({ policy: policy({ channels: ['C0OK'] }), groupMembers: async () => [], logger });
    expect(await closed.check({ user: 'U1', channel: 'C0OK', direct: false })).toEqual({ allowed: true });
    const refused = await closed.check({ user: 'U1', channel: 'C0NO', direct: false });
    expect(refused).toMatchObject({ allowed: false, reason: 'channel' });
    expect(refused.allowed === false && refused.message).toContain('The people who run Holmes can change this');
  });

  it('asks Slack for a group once per cache period, and fails closed (saying so) when Slack cannot answer', async () => {
    const logger = await createLogger({ level: 'silent' });
    let now = 0;
    let calls = 0;
    let down = false;
    const members = createAccessPolicy({
      policy: policy({ userGroups: ['S1'] }),
      groupMembers: async () => {
        calls += 1;
        if (down) throw new Error('service_unavailable');
        return ['U0BOB'];
      },
      logger,
      cacheMs: 1_000,
      now: () => now,
    });
    expect(await members.check({ user: 'U0BOB', channel: 'C1', direct: false })).toEqual({ allowed: true });
    expect(await members.check({ user: 'U0BOB', channel: 'C1', direct: false })).toEqual({ allowed: true });
    expect(calls).toBe(1);
    // Slack down after the cache ran out: the list it gave before still holds.
    now = 5_000;
    down = true;
    expect(await members.check({ user: 'U0BOB', channel: 'C1', direct: false })).toEqual({ allowed: true });
    const neverSeen = createAccessPolicy({
      policy: policy({ userGroups: ['S1'] }),
      groupMembers: async () => Promise.reject(new Error('service_unavailable')),
      logger,
    });
    const refused = await neverSeen.check({ user: 'U0BOB', channel: 'C1', direct: false });
    expect(refused.allowed === false && refused.message).toContain('I could not check your user groups with Slack');
  });
});
