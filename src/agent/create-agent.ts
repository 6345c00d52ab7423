import type { HolmesConfig } from '../config/config-schema.js';
import type { Alert } from '../core/alert.js';
import { createInvestigator, type Investigator } from '../investigator/create-investigator.js';
import { openDatabase, type Db } from '../ledger/open-database.js';
import { openStore } from '../ledger/open-store.js';
import { createRecordStore, type RecordStore } from '../ledger/record-store.js';
import { createSpendLedger, type SpendLedger } from '../ledger/spend-ledger.js';
import { createSqliteRunner } from '../ledger/sql-runner.js';
import { loadTokenCounter } from '../toolsets/count-tokens.js';
import type { Requester } from './admission.js';
import type { InvestigationResult } from '../core/investigation.js';
import { createFailoverCaller } from './call-with-failover.js';
import type { ChatModelFactory } from './create-chat-model.js';
import { createModelRegistry, type ModelEntry } from './model-registry.js';
import { noModelError } from './no-model-error.js';
import { runAgent, type AgentEvent } from './run-agent.js';
import type { HistoryTurn } from './starting-evidence.js';

export interface AgentOptions {
  /** Builds chat models; default: the LangChain provider clients. Tests pass scripted models. */
  createModel?: ChatModelFactory;
  /** Backoff sleep; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** An investigator already built on the same config (the server has one). */
  investigator?: Investigator;
  /** The SQLite file of the agent's records (and, without `ledger`, of the spend ledger); default: the configured store. */
  db?: Db;
  /** The spend ledger; default: the configured store's (PostgreSQL when storage.postgres is set, shared by every replica). */
  ledger?: SpendLedger;
  env?: NodeJS.ProcessEnv;
}

export interface RunOptions {
  requester?: Requester | undefined;
  onEvent?: ((event: AgentEvent) => void) | undefined;
  /** Stream replies, handing their text on as events as it is written. */
  stream?: boolean | undefined;
}

export interface Agent {
  entries: ModelEntry[];
  warnings: string[];
  investigator: Investigator;
  records: RecordStore;
  ledger: SpendLedger;
  /** An alert: deterministic first, then the loop when admitted. */
  investigate(alert: Alert, options?: RunOptions): Promise<InvestigationResult>;
  /** A free-form question; follow-ups pass the thread's history. Needs a model. */
  ask(
    question: string,
    options?: RunOptions & { history?: HistoryTurn[]; threadId?: string },
  ): Promise<InvestigationResult>;
  close(): void;
}

/** Builds the agent once from the config: models, investigator, store; each request then runs the loop. */
export async function createAgent(config: HolmesConfig, options: AgentOptions = {}): Promise<Agent> {
  const registry = createModelRegistry(config, options.env);
  // The tokenizer loads in the background (a slice per turn); the first request waits for it, the start does not.
  const countTokens = loadTokenCounter();
  countTokens.catch(() => undefined); // A failure surfaces at the first request that awaits it.
  const built = options.investigator ?? (await createInvestigator(config));
  // The tools of other MCP servers (mcpServers) are the agent's alone: the deterministic investigator never calls them.
  const toolbox =
    Object.keys(config.mcpServers).length > 0
      ? await (await import('../toolsets/mcp/attach-mcp-servers.js')).attachMcpServers(built.toolbox, config)
      : built.toolbox;
  const investigator: Investigator = toolbox === built.toolbox ? built : { ...built, toolbox };
  // On PostgreSQL the ledger and the records are the store's: every replica reserves against one
  // ledger, and `holmes investigations`, `holmes replay` and MCP find every replica's records.
  const store = !options.db && config.storage.postgres ? await openStore(config.storage) : undefined;
  const db = store
    ? undefined
    : (options.db ?? openDatabase({ path: config.storage.path, synchronous: config.storage.synchronous }));
  const ledger = options.ledger ?? store?.ledger ?? createSpendLedger(db!);
  const records = store?.records ?? createRecordStore(createSqliteRunner(db!));
  const caller = createFailoverCaller({
    entries: registry.entries,
    ...(options.createModel ? { createModel: options.createModel } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    rounds: config.agent.failoverRounds,
    backoffMs: config.agent.backoffMs,
    maxBackoffMs: config.agent.maxBackoffMs,
  });
  const base = { config, entries: registry.entries, caller, investigator, ledger, records };
  return {
    entries: registry.entries,
    warnings: registry.warnings,
    investigator,
    records,
    ledger,
    investigate: async (alert, runOptions = {}) =>
      runAgent({
        ...base,
        countTokens: await countTokens,
        request: { kind: 'alert', alert },
        requester: runOptions.requester,
        onEvent: runOptions.onEvent,
        stream: runOptions.stream,
      }),
    ask: async (question, runOptions = {}) => {
      if (registry.entries.length === 0) throw noModelError();
      return runAgent({
        ...base,
        countTokens: await countTokens,
        request: { kind: 'question', question, history: runOptions.history },
        requester: runOptions.requester,
        threadId: runOptions.threadId,
        onEvent: runOptions.onEvent,
        stream: runOptions.stream,
      });
    },
    close: () => {
      if (toolbox !== built.toolbox) void toolbox.close?.();
      if (db && !options.db) db.close();
      void store?.close();
    },
  };
}
