/**
 * Budget race: three replicas (each its own agent, its own PostgreSQL pool and its own records
 * file) run investigations at once against one team's small daily budget on one PostgreSQL. The
 * scripted model keeps asking for tools, so only the budget stops them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../src/agent/create-agent.js';
import { configSchema } from '../../src/config/config-schema.js';
import { openStore, type Store } from '../../src/ledger/open-store.js';
import type { SpendLedger } from '../../src/ledger/spend-ledger.js';
import { startPostgresCluster, type PostgresCluster } from '../fixtures/postgres-cluster.js';
import { ALERT, createFakeInvestigator } from './fake-investigator.js';
import { ScriptedChatModel, type ScriptedTurn } from './scripted-chat-model.js';

const DAILY_USD = 0.05;
const REPLICAS = 3;
const INVESTIGATIONS_PER_REPLICA = 4;
/** $1 in and $2 out per 1M tokens: each reply below costs 3000 × 1e-6 + 500 × 2e-6 = $0.004. */
const PRICE = { input: 1, output: 2 };

/** A model that never stops on its own: every reply asks for another tool and reports its usage. */
function endlessTools(): ScriptedTurn[] {
  return Array.from({ length: 500 }, (_, index) => ({
    content: `Checking namespace ${index}.`,
    toolCalls: [{ name: 'gpu_sharing', args: { namespace: `ns-${index}` } }],
    usage: { input: 3_000, output: 500 },
  }));
}

/** The ledger, with the largest hold it was asked for noted (the "one reservation" of the bound). */
function watched(ledger: SpendLedger, held: { maxUsd: number }): SpendLedger {
  return {
    ...ledger,
    reserve: async (team, usd, limits) => {
      held.maxUsd = Math.max(held.maxUsd, usd);
      return ledger.reserve(team, usd, limits);
    },
  };
}

let cluster: PostgresCluster | undefined;
let dir: string;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  dir = await mkdtemp(join(tmpdir(), 'holmes-budget-race-'));
});
afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('budget race on PostgreSQL', () => {
  it('keeps three replicas together within the team budget plus one reservation, the ledger equal to what the models reported', async () => {
    const url = await cluster!.createDatabase();
    const configFor = (replica: number) =>
      configSchema.parse({
        models: [
          {
            provider: 'openai',
            model: 'scripted-model',
            contextWindow: 100_000,
            maxOutputTokens: 1_000,
            price: PRICE,
          },
        ],
        budget: { teams: { chat: { dailyUsd: DAILY_USD } }, perInvestigation: { maxSteps: 50, maxUsd: 1 } },
        storage: { path: join(dir, `replica-${replica}.db`), postgres: { url } },
      });
    const held = { maxUsd: 0 };
    const stores: Store[] = [];
    const agents: Agent[] = [];
    const models: ScriptedChatModel[] = [];
    const investigator = await createFakeInvestigator();
    try {
      for (let replica = 0; replica < REPLICAS; replica += 1) {
        const config = configFor(replica);
        const store = await openStore(config.storage);
        const model = new ScriptedChatModel(endlessTools());
        stores.push(store);
        models.push(model);
        agents.push(
          await createAgent(config, {
            createModel: () => model,
            investigator,
            ledger: watched(store.ledger, held),
            sleep: async () => undefined,
          }),
        );
      }
      const results = (
        await Promise.all(
          agents.map((agent) =>
            Promise.all(
              Array.from({ length: INVESTIGATIONS_PER_REPLICA }, (_, index) =>
                agent.investigate({ ...ALERT, fingerprint: `${ALERT.fingerprint}-${index}` }),
              ),
            ),
          ),
        )
      ).flat();

      const total = (await stores[0]!.ledger.spent('chat')).dayUsd;
      const reported = models.reduce(
        (sum, model) => ({ input: sum.input + model.reported.input, output: sum.output + model.reported.output }),
        { input: 0, output: 0 },
      );
      const reportedUsd = (reported.input * PRICE.input + reported.output * PRICE.output) / 1e6;
      // Figures for the reader of the log.
      console.log(
        `budget race: ${results.length} investigations on ${REPLICAS} replicas, ${models.reduce((sum, model) => sum + model.calls.length, 0)} model calls, ledger $${total.toFixed(4)} of $${DAILY_USD} (largest hold $${held.maxUsd.toFixed(4)})`,
      );

      expect(held.maxUsd).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(DAILY_USD + held.maxUsd);
      expect(total).toBeCloseTo(reportedUsd, 9);
      // The budget, not the scripts, ended every investigation, and it was spent, not left idle.
      expect(results.every((result) => result.status === 'budget-exceeded')).toBe(true);
      expect(results.some((result) => result.llm?.budget.refusal?.cap === 'team daily budget')).toBe(true);
      expect(total).toBeGreaterThan(DAILY_USD - 2 * held.maxUsd);
      // Every replica called the model: the three really raced for one budget.
      for (const model of models) expect(model.calls.length).toBeGreaterThan(0);
      // Every call the models answered is in the ledger, once.
      const [chat] = await stores[0]!.ledger.spendBy('team', { sinceDay: '2000-01-01' });
      expect(chat?.calls).toBe(models.reduce((sum, model) => sum + model.calls.length, 0));
    } finally {
      for (const agent of agents) agent.close();
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('gives an agent built from the config alone the shared PostgreSQL ledger', async () => {
    const url = await cluster!.createDatabase();
    const config = configSchema.parse({
      models: [
        { provider: 'openai', model: 'scripted-model', contextWindow: 100_000, maxOutputTokens: 1_000, price: PRICE },
      ],
      budget: { teams: { chat: { dailyUsd: 0.01 } } },
      storage: { path: join(dir, 'alone.db'), postgres: { url } },
    });
    const model = new ScriptedChatModel(endlessTools());
    const agent = await createAgent(config, {
      createModel: () => model,
      investigator: await createFakeInvestigator(),
      sleep: async () => undefined,
    });
    const store = await openStore(config.storage);
    try {
      await agent.investigate(ALERT);
      expect(model.calls.length).toBeGreaterThan(0);
      // Another replica's view of the store sees this agent's spend.
      expect((await store.ledger.spent('chat')).dayUsd).toBeCloseTo(
        (model.reported.input * PRICE.input + model.reported.output * PRICE.output) / 1e6,
        9,
      );
    } finally {
      agent.close();
      await store.close();
    }
  });
});
