import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { holmesVersion } from '../core/holmes-version.js';
import type { HolmesMcpOptions } from './holmes-mcp-options.js';
import { observeCalls } from './observe-calls.js';
import { registerInvestigationTools } from './register-investigation-tools.js';
import { registerRunbookResources } from './register-runbook-resources.js';
import { registerToolsetTools } from './register-toolset-tools.js';

export interface HolmesMcpServer {
  server: McpServer;
  /** Connects a transport, with every call logged and counted. */
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

export const INSTRUCTIONS = [
  'Holmes investigates incidents on Kubernetes, GPU and LLM workloads, reading Prometheus and the Kubernetes API only:',
  'every tool here reads; none creates, changes or deletes anything, and Secrets are never read.',
  '`investigate` takes an alert (or just its labels) and returns ranked root causes with evidence and remediation at zero tokens;',
  '`list_investigations` and `get_investigation` read past ones. The runbooks are resources (holmes://runbooks/<id>).',
].join(' ');

/** Holmes as an MCP server (one per session): the toolsets' tools, the investigation tools and the runbooks. */
export function createHolmesMcpServer(options: HolmesMcpOptions): HolmesMcpServer {
  const server = new McpServer(
    { name: 'holmes', title: 'Holmes', version: holmesVersion() },
    // Toolsets that pass or fail together change the list once.
    { instructions: INSTRUCTIONS, debouncedNotificationMethods: ['notifications/tools/list_changed'] },
  );
  const own = registerInvestigationTools(server, options);
  const toolsets = registerToolsetTools(server, options.toolbox, options.logger, new Set(own));
  const tools = new Set([...own, ...toolsets.names]);
  registerRunbookResources(server, options.investigator.runbooks.runbooks);
  const { toolbox } = options;
  let timer: NodeJS.Timeout | undefined;
  return {
    server,
    connect: async (transport) => {
      // The first list a client sees is the checked one, not every toolset before any answer came in.
      if (toolbox.refresh) {
        await toolbox.refresh();
        toolsets.sync();
        // A source that comes back (or goes) changes the list while the session lasts.
        timer = setInterval(
          () => void toolbox.refresh!().then(toolsets.sync, () => undefined),
          options.recheckMs ?? 30_000,
        );
        timer.unref();
      }
      await server.connect(transport);
      observeCalls(transport, {
        tools,
        client: () => server.server.getClientVersion()?.name,
        logger: options.logger,
        onCall: options.onCall,
      });
    },
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
