import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolResult } from '../core/tool-result.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { toParameterSchema } from '../toolsets/parameter-schema.js';
import type { Logger } from '../core/logger.js';
import { asToolResult } from './as-tool-result.js';

/** Every toolset tool reads: said to clients in the annotations MCP defines for it. */
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;

/** A tool result as MCP content: the same capped text the agent's model reads; queries and cuts in `_meta`. */
export function toolResultContent(result: ToolResult) {
  const prefix = result.status === 'success' ? '' : `[${result.status}] `;
  return {
    content: [{ type: 'text' as const, text: `${prefix}${result.text}` }],
    isError: result.status === 'error',
    _meta: {
      'holmes/status': result.status,
      'holmes/toolset': result.toolset,
      'holmes/requests': result.requests,
      ...(result.omitted ? { 'holmes/omitted': result.omitted } : {}),
    },
  };
}

export interface ToolsetTools {
  /** The names served, offered now or not. */
  names: string[];
  /** Offers the tools of toolsets usable as last checked and withdraws the others (clients are told the list changed). */
  sync(): void;
}

/**
 * The tools of the loaded toolsets, each with its parameter schema, run through the toolbox: the
 * same validation, read-only clients, timeout and output cap as for the agent. Tools of a toolset
 * whose prerequisites fail (no such metrics, a source down) are registered but not offered until
 * they pass: `sync` follows the toolbox's statuses. Tools of other MCP servers are left out:
 * Holmes cannot vouch that they only read.
 */
export function registerToolsetTools(
  server: McpServer,
  toolbox: Toolbox,
  logger: Logger,
  reserved: ReadonlySet<string> = new Set(),
): ToolsetTools {
  const registered = new Map<string, { toolset: string; tool: RegisteredTool }>();
  for (const { toolset, spec, external } of toolbox.tools({ unavailable: true })) {
    // A name two toolsets share is served once, from the first (the toolbox resolves it by toolset);
    // Holmes's own tools (investigate, …) keep theirs.
    if (external || registered.has(spec.name) || reserved.has(spec.name)) continue;
    const tool = server.registerTool(
      spec.name,
      {
        description: `${spec.description.replace(/\s+/g, ' ').trim()} (toolset ${toolset}; read-only)`,
        inputSchema: toParameterSchema(spec.parameters, { typed: true }),
        annotations: READ_ONLY,
      },
      (params: Record<string, unknown>) =>
        asToolResult(spec.name, logger, async () => {
          const result = toolResultContent(await toolbox.run(`${toolset}/${spec.name}`, params));
          // The run re-checked stale prerequisites: a toolset that just failed is withdrawn.
          sync();
          return result;
        }),
    );
    registered.set(spec.name, { toolset, tool });
  }
  function sync(): void {
    const enabled = new Set(
      toolbox.statuses.filter((status) => status.status === 'enabled').map((status) => status.id),
    );
    for (const { toolset, tool } of registered.values()) {
      if (tool.enabled === enabled.has(toolset)) continue;
      if (enabled.has(toolset)) tool.enable();
      else tool.disable();
    }
  }
  sync();
  return { names: [...registered.keys()], sync };
}
