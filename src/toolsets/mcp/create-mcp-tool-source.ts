import { ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../../config/config-schema.js';
import { HolmesError } from '../../core/errors.js';
import type { ToolDescriptor, ToolsetStatus } from '../create-toolbox.js';
import { settleToolCall, toolFailure } from '../settle-tool-call.js';
import type { ToolSpec } from '../toolset-schema.js';
import type { ToolSource } from '../with-tool-sources.js';
import { coerceArguments } from './coerce-arguments.js';
import { connectMcpServer, describeTarget, type McpConnection } from './connect-mcp-server.js';
import { allowlistMatcher, prefixedToolName, toolPrefix } from './mcp-tool-names.js';
import { summarizeMcpContent } from './summarize-mcp-content.js';

export interface McpToolSourceOptions {
  maxOutputTokens: number;
  /** Per call, unless the server sets its own timeoutMs. */
  timeoutMs: number;
  /** Start a server even when none of its tools is allowed, to list what it offers (`holmes toolsets list`). */
  discover?: boolean;
  env?: NodeJS.ProcessEnv;
  connect?: typeof connectMcpServer;
}

interface Entry {
  tool: Tool;
  allowed: boolean;
}

// A JSON-RPC error that means the server is gone or did not answer in time, not that the call was wrong.
function lostConnection(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return error instanceof TypeError || code === 'ECONNREFUSED' || code === 'ECONNRESET';
}

/**
 * One MCP server as a toolset `mcp/<name>`: its allowed tools under the prefix `<name>__`, run
 * with the same timeout, summary and cap as Holmes's own. A server that does not start, or dies,
 * is marked failed (its tools are no longer offered, calls say why) and is started again later.
 */
export async function createMcpToolSource(
  name: string,
  server: McpServerConfig,
  options: McpToolSourceOptions,
): Promise<ToolSource> {
  const connect = options.connect ?? connectMcpServer;
  const allowed = allowlistMatcher(server.allowTools);
  const prefix = toolPrefix(name);
  const timeoutMs = server.timeoutMs ?? options.timeoutMs;
  const status: ToolsetStatus = {
    id: `mcp/${name}`,
    description: server.description ?? `MCP server ${name} (${describeTarget(server)})`,
    file: `mcpServers.${name}`,
    status: 'disabled',
    external: true,
    tools: [],
  };
  const entries = new Map<string, Entry>();
  let connection: McpConnection | undefined;
  let closed = false;
  let restart: NodeJS.Timeout | undefined;

  const fail = (reason: string, unreachable: boolean) => {
    Object.assign(status, { status: 'failed', reason, unreachable });
    // A stdio server that exited is gone already; an HTTP one that stopped answering may hold a stream.
    void connection?.close().catch(() => undefined);
    connection = undefined;
    if (closed || server.restartAfterMs === 0) return;
    clearTimeout(restart);
    restart = setTimeout(() => void start(), server.restartAfterMs);
    restart.unref(); // A pending restart never keeps a finished command alive.
  };

  async function start(): Promise<void> {
    if (server.allowTools.length === 0 && !options.discover) {
      Object.assign(status, {
        status: 'disabled',
        reason: `no tool allowed: list the ones the agent may call in mcpServers.${name}.allowTools (Holmes cannot promise that another server's tool only reads)`,
      });
      return;
    }
    let connected: McpConnection;
    try {
      connected = await connect(name, server, options.env);
    } catch (error) {
      const message = HolmesError.isInstance(error) ? `${error.message} ${error.fix ?? ''}`.trim() : String(error);
      fail(message, true);
      return;
    }
    if (closed) return void (await connected.close());
    connection = connected;
    connected.onLost(() => {
      const tail = connected.stderrTail();
      fail(`the server exited or hung up${tail ? ` (stderr: ${tail})` : ''}`, true);
    });
    entries.clear();
    const refused: string[] = [];
    for (const tool of connected.tools) {
      const prefixed = prefixedToolName(name, tool.name);
      if (entries.has(prefixed)) continue; // Two names that read the same once made safe for a model: the first wins.
      const entry = { tool, allowed: allowed(tool.name) };
      entries.set(prefixed, entry);
      if (!entry.allowed) refused.push(tool.name);
    }
    const unknown = server.allowTools.filter(
      (pattern) => !connected.tools.some((tool) => allowlistMatcher([pattern])(tool.name)),
    );
    const offered = [...entries].filter(([, entry]) => entry.allowed).map(([prefixed]) => prefixed);
    const notes = [
      refused.length > 0 ? `not allowed (mcpServers.${name}.allowTools): ${refused.join(', ')}` : '',
      unknown.length > 0 ? `allowTools entries matching no tool: ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    Object.assign(status, {
      status: offered.length > 0 ? 'enabled' : 'disabled',
      description: server.description ?? connected.instructions?.slice(0, 500) ?? status.description,
      tools: offered,
      reason: offered.length > 0 ? notes.join('; ') || undefined : `no tool allowed; ${notes.join('; ')}`,
      unreachable: undefined,
    });
  }

  await start();

  const descriptor = (prefixed: string, tool: Tool): ToolDescriptor => ({
    toolset: status.id,
    spec: {
      name: prefixed,
      description: `${tool.description ?? tool.title ?? tool.name} (tool ${tool.name} of MCP server ${name})`,
      parameters: {},
    } as ToolSpec,
    inputSchema: tool.inputSchema as Record<string, unknown>,
    external: true,
  });

  return {
    statuses: [status],
    tools: () =>
      status.status === 'enabled'
        ? [...entries].filter(([, entry]) => entry.allowed).map(([prefixed, entry]) => descriptor(prefixed, entry.tool))
        : [],
    owns: (toolName) => toolName.startsWith(prefix),
    run: async (toolName, params) => {
      const started = performance.now();
      const identity = { toolset: status.id, tool: toolName, params };
      const entry = entries.get(toolName);
      if (status.status === 'failed')
        return toolFailure(identity, started, `MCP server ${name} is unavailable: ${status.reason}.`, true);
      if (!entry || !entry.allowed || !connection)
        return toolFailure(
          identity,
          started,
          entry
            ? `Refused: ${entry.tool.name} of MCP server ${name} is not in mcpServers.${name}.allowTools. Holmes calls only the tools you allow, because it cannot promise that another server's tool only reads.`
            : `Unknown tool '${toolName}'. MCP server ${name} offers: ${status.tools.join(', ') || 'no allowed tool'}.`,
        );
      const client = connection.client;
      return settleToolCall(
        identity,
        started,
        async () => {
          let result;
          try {
            const args = coerceArguments(params, entry.tool.inputSchema);
            result = await client.callTool({ name: entry.tool.name, arguments: args }, undefined, {
              timeout: timeoutMs,
            });
          } catch (error) {
            if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
              throw new HolmesError(
                'TIMEOUT',
                `MCP server ${name} did not answer ${entry.tool.name} within ${timeoutMs} ms.`,
                {
                  fix: `Narrow the call, or raise mcpServers.${name}.timeoutMs.`,
                },
              );
            if (lostConnection(error)) {
              // Over HTTP nothing else notices a server that went away: this call is how we learn it.
              if (connection?.client === client) fail(`it went away during a call: ${(error as Error).message}`, true);
              throw new HolmesError(
                'UPSTREAM_UNAVAILABLE',
                `MCP server ${name} went away during ${entry.tool.name}: ${(error as Error).message}.`,
              );
            }
            throw error;
          }
          const summary = summarizeMcpContent(result as Parameters<typeof summarizeMcpContent>[0]);
          const raw = JSON.stringify(result);
          return {
            status: summary.status,
            text: summary.text,
            data: result,
            requests: [`MCP ${name}: tools/call ${entry.tool.name}`],
            raw: [raw],
            ...(summary.omitted ? { omitted: summary.omitted } : {}),
          };
        },
        // The SDK's own timeout comes first, so the server is told the call is cancelled.
        { maxOutputTokens: options.maxOutputTokens, timeoutMs: timeoutMs + 1_000 },
      );
    },
    close: async () => {
      closed = true;
      clearTimeout(restart);
      await connection?.close();
    },
  };
}
