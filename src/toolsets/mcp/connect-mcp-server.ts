import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../../config/config-schema.js';
import { resolveSecret } from '../../config/secret.js';
import { HolmesError } from '../../core/errors.js';
import { holmesVersion } from '../../core/holmes-version.js';

/** One live connection to another MCP server. */
export interface McpConnection {
  client: Client;
  tools: Tool[];
  /** The server's own description of itself (`instructions`), when it gives one. */
  instructions: string | undefined;
  /** The child process (stdio). */
  pid: number | undefined;
  /** The last lines the server wrote to stderr (stdio): why it died, usually. */
  stderrTail(): string;
  /** Called once when the connection ends without close() being called: the server died or hung up. */
  onLost(listener: () => void): void;
  close(): Promise<void>;
}

const MAX_TOOL_PAGES = 20;
const STDERR_LINES = 5;

function resolveAll(values: Record<string, McpServerConfig['env'][string]>, path: string, env: NodeJS.ProcessEnv) {
  return Object.fromEntries(
    Object.entries(values).map(([name, secret]) => [name, resolveSecret(secret, `${path}.${name}`, env)]),
  );
}

/** The command line or URL, for messages: never a header or an environment value. */
export function describeTarget(server: McpServerConfig): string {
  if (server.command) return [server.command, ...server.args].join(' ');
  const url = new URL(server.url!);
  url.username = '';
  url.password = '';
  return url.toString();
}

function createTransport(
  name: string,
  server: McpServerConfig,
  env: NodeJS.ProcessEnv,
  onStderr: (line: string) => void,
): Transport {
  if (server.command) {
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: resolveAll(server.env, `mcpServers.${name}.env`, env),
      ...(server.cwd ? { cwd: server.cwd } : {}),
      // Piped, not inherited: `holmes mcp` keeps its own stderr for its logs, and the tail says why a server died.
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) onStderr(line.trim());
    });
    return transport;
  }
  return new StreamableHTTPClientTransport(new URL(server.url!), {
    requestInit: { headers: resolveAll(server.headers, `mcpServers.${name}.headers`, env) },
  });
}

/**
 * Starts (stdio) or reaches (Streamable HTTP) one MCP server with the SDK's client and lists its
 * tools, within `startTimeoutMs`. Throws UPSTREAM_UNAVAILABLE with the reason and the server's
 * last stderr lines; whatever was started is stopped again.
 */
export async function connectMcpServer(
  name: string,
  server: McpServerConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<McpConnection> {
  const stderr: string[] = [];
  const stderrTail = () => stderr.join(' | ');
  let closing = false;
  const lost: Array<() => void> = [];
  let client: Client | undefined;
  let transport: Transport | undefined;
  let timer: NodeJS.Timeout | undefined;
  const work = async (): Promise<McpConnection> => {
    transport = createTransport(name, server, env, (line) => {
      stderr.push(line.slice(0, 300));
      if (stderr.length > STDERR_LINES) stderr.shift();
    });
    client = new Client({ name: 'holmes', version: holmesVersion() });
    client.onclose = () => {
      if (!closing) for (const listener of lost.splice(0)) listener();
    };
    await client.connect(transport, { timeout: server.startTimeoutMs });
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page += 1) {
      const listed = await client.listTools(cursor ? { cursor } : {}, { timeout: server.startTimeoutMs });
      tools.push(...listed.tools);
      cursor = listed.nextCursor;
      if (!cursor) break;
    }
    const connected = client;
    return {
      client: connected,
      tools,
      instructions: connected.getInstructions(),
      pid: transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined,
      stderrTail,
      onLost: (listener) => lost.push(listener),
      close: async () => {
        closing = true;
        await connected.close();
      },
    };
  };
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${server.startTimeoutMs} ms (mcpServers.${name}.startTimeoutMs)`)),
          server.startTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    closing = true;
    await (client ?? transport)?.close().catch(() => undefined);
    if (HolmesError.isInstance(error)) throw error; // A secret that could not be resolved says so itself.
    const tail = stderrTail();
    throw new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `MCP server ${name} (${describeTarget(server)}) ${server.command ? 'did not start' : 'could not be reached'}: ${(error as Error).message}${tail ? `; its stderr: ${tail}` : ''}`,
      {
        cause: error,
        fix: server.command
          ? `Run the command by hand to see it start, or fix mcpServers.${name}.command/args.`
          : `Check that ${describeTarget(server)} answers MCP (Streamable HTTP) and that mcpServers.${name}.headers carry its credentials.`,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}
