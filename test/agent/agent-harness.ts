import { configSchema, type HolmesConfig } from '../../src/config/config-schema.js';
import { createAgent, type Agent } from '../../src/agent/create-agent.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createFakeInvestigator } from './fake-investigator.js';
import { ScriptedChatModel, type ScriptedTurn } from './scripted-chat-model.js';

export interface Harness {
  agent: Agent;
  model: ScriptedChatModel;
  /** One scripted model per configured model, in order (`model` is the first). */
  models: ScriptedChatModel[];
  db: Db;
  config: HolmesConfig;
  investigator: Awaited<ReturnType<typeof createFakeInvestigator>>;
  /** Model usage the ledger holds, summed. */
  ledgerTotals(): { input: number; output: number; usd: number; calls: number };
  close(): void;
}

/** An agent over the fake investigator, an in-memory store and one scripted model (priced $1/$2 per 1M). */
export async function createHarness(
  turns: ScriptedTurn[],
  configInput: Record<string, unknown> = {},
  options: {
    path?: string;
    /** The first model's script, when the test needs a model of its own. */
    model?: ScriptedChatModel;
    investigator?: Awaited<ReturnType<typeof createFakeInvestigator>>;
    /** Scripts of the further models, by their index in the config's models. */
    more?: ScriptedTurn[][];
  } = {},
): Promise<Harness> {
  const config = configSchema.parse({
    models: [
      {
        provider: 'openai',
        model: 'scripted-model',
        contextWindow: 100_000,
        maxOutputTokens: 1_000,
        price: { input: 1, output: 2 },
      },
    ],
    ...configInput,
  });
  const db = openDatabase({ path: options.path ?? ':memory:' });
  const models = [
    options.model ?? new ScriptedChatModel(turns),
    ...(options.more ?? []).map((script) => new ScriptedChatModel(script)),
  ];
  const model = models[0]!;
  const investigator = options.investigator ?? (await createFakeInvestigator());
  const agent = await createAgent(config, {
    createModel: (entry) => models[entry.index] ?? model,
    investigator,
    db,
    sleep: async () => undefined,
  });
  return {
    agent,
    model,
    models,
    db,
    config,
    investigator,
    ledgerTotals: () =>
      db
        .prepare(
          `SELECT coalesce(sum(input_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output, coalesce(sum(usd), 0) AS usd, count(*) AS calls FROM usage_events WHERE kind = 'model'`,
        )
        .get() as { input: number; output: number; usd: number; calls: number },
    close: () => {
      agent.close();
      db.close();
    },
  };
}
