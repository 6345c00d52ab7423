import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admit, resolveTeam } from '../../src/agent/admission.js';
import { configSchema } from '../../src/config/config-schema.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createSpendLedger } from '../../src/ledger/spend-ledger.js';

let db: Db;
const config = configSchema.parse({
  budget: {
    teams: { chat: { dailyUsd: 5, monthlyUsd: 50 } },
    users: { 'slack:U024BE7LH': 'search' },
    teamLabels: ['team', 'owner'],
  },
});

describe('admission', () => {
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
  });
  afterEach(() => db.close());

  it('takes the team from the first team label, then from the user mapping, then the unassigned team', () => {
    expect(resolveTeam(config.budget, { owner: 'ads', team: 'chat' }, 'slack:U024BE7LH')).toEqual({
      team: 'chat',
      source: 'label team',
    });
    expect(resolveTeam(config.budget, { owner: 'ads' }, undefined)).toEqual({ team: 'ads', source: 'label owner' });
    expect(resolveTeam(config.budget, {}, 'slack:U024BE7LH')).toEqual({
      team: 'search',
      source: 'user slack:U024BE7LH',
    });
    expect(resolveTeam(config.budget, undefined, 'cli:bob')).toEqual({ team: 'unassigned', source: 'default' });
  });

  it('admits LLM mode with the caps and the budget left, and deterministic only once a budget is spent', async () => {
    const ledger = createSpendLedger(db);
    const first = await admit({ config, ledger, hasModels: true, labels: { team: 'chat' } });
    expect(first).toMatchObject({
      mode: 'llm',
      team: 'chat',
      limits: { dailyUsd: 5, monthlyUsd: 50 },
      caps: { maxSteps: 20, maxUsd: 1 },
    });
    expect(first.reason).toContain('$0.00 of $5.00 today');
    await ledger.record({
      team: 'chat',
      kind: 'model',
      outcome: 'ok',
      inputTokens: 1,
      cachedTokens: 0,
      outputTokens: 1,
      usd: 5,
    });
    const second = await admit({ config, ledger, hasModels: true, labels: { team: 'chat' } });
    expect(second).toMatchObject({ mode: 'deterministic', spent: { dayUsd: 5, monthUsd: 5 } });
    expect(second.reason).toBe(
      'team chat is over budget (spent $5.00 of its daily $5.00): deterministic investigation only, no model call. Raise budget.teams.chat or wait for the next period.',
    );
    // Other teams fall under otherTeams (default $10/day).
    expect(await admit({ config, ledger, hasModels: true, labels: { team: 'ads' } })).toMatchObject({
      mode: 'llm',
      limits: { dailyUsd: 10, monthlyUsd: 100 },
    });
  });

  it('is deterministic only, and says why, when no model is configured', async () => {
    expect(await admit({ config, ledger: createSpendLedger(db), hasModels: false })).toMatchObject({
      mode: 'deterministic',
      reason: expect.stringContaining('no model is configured'),
    });
  });
});
