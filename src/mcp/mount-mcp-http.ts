import type { Registry } from 'prom-client';
import type { HolmesConfig } from '../config/config-schema.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../ledger/open-store.js';
import { createMcpHttpHandler, type McpHttpHandler } from './create-mcp-http-handler.js';
import { holmesMcpFactory, type HolmesMcpFactoryOptions } from './holmes-mcp-factory.js';
import { createMcpMetrics } from './mcp-metrics.js';

export type MountMcpHttpOptions = Omit<HolmesMcpFactoryOptions, 'store' | 'logger' | 'onCall'> & {
  config: Pick<HolmesConfig, 'budget' | 'mcp' | 'server'>;
};

/**
 * /mcp for holmes serve: given the server's store, metrics registry and logger, the Streamable
 * HTTP handler whose calls are counted on /metrics by tool and client.
 */
export function mountMcpHttp(options: MountMcpHttpOptions) {
  return (shared: {
    store: Pick<Store, 'investigations' | 'records'>;
    registry: Registry;
    logger: Logger;
  }): McpHttpHandler => {
    const metrics = createMcpMetrics(shared.registry);
    const logger = shared.logger.child({ component: 'mcp' });
    return createMcpHttpHandler({
      create: holmesMcpFactory({ ...options, store: shared.store, logger, onCall: metrics.record }),
      maxSessions: options.config.mcp.maxSessions,
      sessionIdleMs: options.config.mcp.sessionIdleMs,
      bodyLimitBytes: options.config.server.bodyLimitBytes,
      logger,
      onSessions: (count) => metrics.sessions.set(count),
    });
  };
}
