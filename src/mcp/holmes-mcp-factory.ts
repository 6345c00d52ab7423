import pLimit from 'p-limit';
import type { HolmesConfig } from '../config/config-schema.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { Logger } from '../core/logger.js';
import type { Investigator } from '../investigator/create-investigator.js';
import type { Store } from '../ledger/open-store.js';
import { createHolmesMcpServer, type HolmesMcpServer } from './create-holmes-mcp-server.js';
import { createInvestigationArchive } from './investigation-archive.js';
import type { McpCallEvent } from './mcp-metrics.js';

export interface HolmesMcpFactoryOptions {
  /** The deterministic investigator and its toolbox (never one with other MCP servers' tools attached). */
  investigator: Investigator;
  /** The configured store: the server's investigations and the agent's records. */
  store: Pick<Store, 'investigations' | 'records'>;
  config: Pick<HolmesConfig, 'budget' | 'server'>;
  logger: Logger;
  render: (result: InvestigationResult) => string;
  onCall?: ((event: McpCallEvent) => void) | undefined;
}

/** What stdio and HTTP share: the investigator and the store opened once, a server per connection. */
export function holmesMcpFactory(options: HolmesMcpFactoryOptions): () => HolmesMcpServer {
  const archive = createInvestigationArchive(options.store);
  // Investigations from every session share the sources with the webhook's workers: as many at once.
  const limit = pLimit(options.config.server.concurrency);
  const investigator = {
    runbooks: options.investigator.runbooks,
    investigate: (...args: Parameters<Investigator['investigate']>) =>
      limit(() => options.investigator.investigate(...args)),
  };
  return () =>
    createHolmesMcpServer({
      toolbox: options.investigator.toolbox,
      investigator,
      archive,
      budget: options.config.budget,
      render: options.render,
      logger: options.logger,
      onCall: options.onCall,
    });
}
