import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Logger } from '../core/logger.js';
import type { HolmesMcpServer } from './create-holmes-mcp-server.js';

export interface McpHttpHandlerOptions {
  /** A server for a new session. */
  create: () => HolmesMcpServer;
  maxSessions: number;
  sessionIdleMs: number;
  bodyLimitBytes: number;
  logger: Logger;
  /** Told the number of open sessions whenever it changes (a gauge). */
  onSessions?: ((count: number) => void) | undefined;
  now?: () => number;
}

/** MCP over Streamable HTTP as a web-standard handler: mount it on a route of any HTTP app. */
export interface McpHttpHandler {
  handle(request: Request): Promise<Response>;
  /** Closes every session. */
  close(): Promise<void>;
}

interface Session {
  server: HolmesMcpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

function jsonRpcError(status: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    return false;
  }
}

/**
 * Sessions of Streamable HTTP, each with its own server (so every call knows its client), kept
 * in memory: a session idle past `sessionIdleMs` is closed, and at `maxSessions` the longest idle
 * one makes room. Authentication is the mounting app's.
 */
export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();

  const drop = async (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    options.onSessions?.(sessions.size);
    await session.server.close().catch(() => undefined);
  };

  const sweep = async () => {
    const idle = [...sessions].filter(([, session]) => now() - session.lastUsed > options.sessionIdleMs);
    await Promise.all(idle.map(([id]) => drop(id)));
    if (sessions.size >= options.maxSessions) {
      const [oldest] = [...sessions].sort(([, left], [, right]) => left.lastUsed - right.lastUsed)[0] ?? [];
      if (oldest) {
        options.logger.warn(
          { session: oldest, maxSessions: options.maxSessions },
          'mcp: closing the longest idle session to make room',
        );
        await drop(oldest);
      }
    }
  };

  return {
    async handle(request) {
      // A web page that reached this address (DNS rebinding, a local port) is not an MCP client:
      // clients send no Origin, browsers always do. The spec asks servers to check it.
      const origin = request.headers.get('origin');
      if (origin && !sameHost(origin, request.url))
        return jsonRpcError(403, `Requests from web pages (Origin ${origin.slice(0, 100)}) are refused.`);
      const id = request.headers.get('mcp-session-id');
      if (id) {
        const session = sessions.get(id);
        if (!session) return jsonRpcError(404, 'Session not found (closed or expired): initialize a new one.');
        session.lastUsed = now();
        return session.transport.handleRequest(request);
      }
      if (request.method !== 'POST')
        return jsonRpcError(400, 'No session: send an initialize request first (POST), then use its mcp-session-id.');
      await sweep();
      const server = options.create();
      const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        maxRequestBodySize: options.bodyLimitBytes,
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, { server, transport, lastUsed: now() });
          options.onSessions?.(sessions.size);
        },
        onsessionclosed: (sessionId) => drop(sessionId),
      });
      await server.connect(transport);
      const response = await transport.handleRequest(request);
      // Anything but an initialize request is refused by the transport: nothing to keep.
      if (!transport.sessionId || !sessions.has(transport.sessionId)) await server.close();
      return response;
    },
    async close() {
      await Promise.all([...sessions.keys()].map((id) => drop(id)));
    },
  };
}
