import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { createLogger, type Logger } from '../../src/core/logger.js';
import { createHolmesMcpServer } from '../../src/mcp/create-holmes-mcp-server.js';
import { createMcpHttpHandler, type McpHttpHandler } from '../../src/mcp/create-mcp-http-handler.js';
import { createInvestigationArchive } from '../../src/mcp/investigation-archive.js';
import { sqliteStoreParts } from '../fixtures/store-site.js';
import { openDatabase } from '../../src/ledger/open-database.js';
import { createFakeInvestigator } from '../agent/fake-investigator.js';

const URL_MCP = 'http://holmes.test/mcp';
let logger: Logger;
let investigator: Awaited<ReturnType<typeof createFakeInvestigator>>;
let handler: McpHttpHandler;
let clock = 0;
let sessionCounts: number[] = [];

beforeAll(async () => {
  logger = await createLogger({ level: 'silent' });
  investigator = await createFakeInvestigator();
});
afterEach(async () => {
  await handler?.close();
});

function createHandler(limits: { maxSessions: number; sessionIdleMs: number }) {
  const archive = createInvestigationArchive(sqliteStoreParts(openDatabase({ path: ':memory:' })));
  sessionCounts = [];
  handler = createMcpHttpHandler({
    create: () =>
      createHolmesMcpServer({
        toolbox: investigator.toolbox,
        investigator,
        archive,
        budget: configSchema.parse({}).budget,
        render: () => '',
        logger,
      }),
    ...limits,
    bodyLimitBytes: 65_536,
    logger,
    onSessions: (count) => sessionCounts.push(count),
    now: () => clock,
  });
  return handler;
}

/** A real SDK client whose HTTP requests go straight to the handler, in process. */
async function connect(name: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(URL_MCP), {
    fetch: (url, init) => handler.handle(new Request(url, init)),
  });
  const client = new Client({ name, version: '1' });
  await client.connect(transport);
  return { client, transport };
}

describe('createMcpHttpHandler', () => {
  it('keeps one session per client, each answering with its own server', async () => {
    createHandler({ maxSessions: 4, sessionIdleMs: 60_000 });
    const first = await connect('first');
    const second = await connect('second');
    expect(first.transport.sessionId).toBeDefined();
    expect(first.transport.sessionId).not.toBe(second.transport.sessionId);
    expect((await first.client.listTools()).tools.map((tool) => tool.name)).toContain('investigate');
    expect((await second.client.listTools()).tools.length).toBeGreaterThan(3);
    expect(sessionCounts.at(-1)).toBe(2);
    await first.transport.terminateSession();
    expect(sessionCounts.at(-1)).toBe(1);
  });

  it('closes a session idle past sessionIdleMs, and the longest idle one at maxSessions', async () => {
    createHandler({ maxSessions: 2, sessionIdleMs: 1_000 });
    clock = 0;
    const idle = await connect('idle');
    clock = 500;
    const busy = await connect('busy');
    clock = 900;
    await busy.client.listTools();
    clock = 1_200; // `idle` was last used at 0: past the idle limit when the next session starts.
    const third = await connect('third');
    await expect(idle.client.listTools()).rejects.toThrow(/404|Session not found/);
    await busy.client.listTools();
    clock = 1_300;
    // At the limit of two, the longest idle (`third`, used at 1,200, against `busy` at 1,300) makes room.
    await busy.client.listTools();
    const fourth = await connect('fourth');
    await expect(fourth.client.listTools()).resolves.toBeDefined();
    await expect(third.client.listTools()).rejects.toThrow(/404|Session not found/);
    await expect(busy.client.listTools()).resolves.toBeDefined();
    expect(sessionCounts.at(-1)).toBe(2);
  });

  it('refuses an unknown session, a request without a session that is not an initialize, and a web page', async () => {
    createHandler({ maxSessions: 2, sessionIdleMs: 60_000 });
    const unknown = await handler.handle(
      new Request(URL_MCP, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': 'f'.repeat(36),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      }),
    );
    expect(unknown.status).toBe(404);
    const noSession = await handler.handle(
      new Request(URL_MCP, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      }),
    );
    expect(noSession.status).toBe(400);
    expect((await handler.handle(new Request(URL_MCP))).status).toBe(400);
    const fromPage = await handler.handle(
      new Request(URL_MCP, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
      }),
    );
    expect(fromPage.status).toBe(403);
    expect(sessionCounts).toEqual([]);
  });
});
