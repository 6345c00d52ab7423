import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../core/logger.js';
import type { McpCallEvent } from './mcp-metrics.js';

export interface ObserveCallsOptions {
  /** Tool names served: any other name a client sends is counted as `unknown` (label values stay bounded). */
  tools: ReadonlySet<string>;
  /** The client's name, once it has initialised. */
  client: () => string | undefined;
  logger: Logger;
  onCall?: ((event: McpCallEvent) => void) | undefined;
}

type Pending = { tool: string; started: number };

function statusOf(message: JSONRPCMessage): McpCallEvent['status'] {
  if ('error' in message) return 'error';
  const result = ('result' in message ? message.result : {}) as { isError?: boolean; _meta?: Record<string, unknown> };
  if (result.isError) return 'error';
  return result._meta?.['holmes/status'] === 'no_data' ? 'no_data' : 'success';
}

/**
 * Logs and counts every tool call and resource read of a connection, by tool and client, where
 * requests come in and answers go out: calls the SDK refuses before any handler runs (bad
 * arguments, unknown tools) are counted too. Call after the server is connected to the transport.
 */
export function observeCalls(transport: Transport, options: ObserveCallsOptions): void {
  const pending = new Map<string | number, Pending>();
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ('method' in message && 'id' in message) {
      if (message.method === 'tools/call') {
        const name = String((message.params as { name?: unknown } | undefined)?.name ?? '');
        pending.set(message.id, { tool: options.tools.has(name) ? name : 'unknown', started: performance.now() });
      } else if (message.method === 'resources/read')
        pending.set(message.id, { tool: 'resources/read', started: performance.now() });
    }
    receive?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, sendOptions) => {
    // A response (or an error response) to a request we saw: the id is set, there is no method.
    const id = 'id' in message && !('method' in message) ? message.id : undefined;
    const call = id === undefined ? undefined : pending.get(id);
    if (call) {
      pending.delete(id!);
      const event: McpCallEvent = {
        tool: call.tool,
        client: options.client() ?? 'unknown',
        status: statusOf(message),
        durationMs: performance.now() - call.started,
      };
      options.logger.info(
        {
          mcp: {
            tool: event.tool,
            client: event.client,
            status: event.status,
            durationMs: Math.round(event.durationMs),
          },
        },
        'mcp call',
      );
      options.onCall?.(event);
    }
    return send(message, sendOptions);
  };
}
