import type { HolmesConfig } from '../../config/config-schema.js';
import type { Toolbox } from '../create-toolbox.js';
import { withToolSources } from '../with-tool-sources.js';
import { createMcpToolSource } from './create-mcp-tool-source.js';

export interface AttachMcpServersOptions {
  /** Start servers none of whose tools is allowed too, to list what they offer. */
  discover?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The toolbox with the tools of the configured MCP servers (`mcpServers`) beside its own, all
 * started at once; a server that fails is a failed toolset, never an error. Returns the toolbox
 * as it is when no server is configured; closing the result stops the servers.
 */
export async function attachMcpServers(
  toolbox: Toolbox,
  config: Pick<HolmesConfig, 'mcpServers' | 'toolsets'>,
  options: AttachMcpServersOptions = {},
): Promise<Toolbox> {
  const servers = Object.entries(config.mcpServers);
  if (servers.length === 0) return toolbox;
  const sources = await Promise.all(
    servers.map(([name, server]) =>
      createMcpToolSource(name, server, {
        maxOutputTokens: config.toolsets.maxOutputTokens,
        timeoutMs: config.toolsets.timeoutMs,
        ...options,
      }),
    ),
  );
  return withToolSources(toolbox, sources);
}
