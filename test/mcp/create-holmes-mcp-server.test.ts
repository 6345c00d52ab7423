import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { createLogger } from '../../src/core/logger.js';
import { createHolmesMcpServer, type HolmesMcpServer } from '../../src/mcp/create-holmes-mcp-server.js';
import { createInvestigationArchive } from '../../src/mcp/investigation-archive.js';
import { sqliteStoreParts } from '../fixtures/store-site.js';
import type { McpCallEvent } from '../../src/mcp/mcp-metrics.js';
import { createInvestigationStore } from '../../src/ledger/investigation-store.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import type { Toolbox, ToolsetStatus } from '../../src/toolsets/create-toolbox.js';
import { ALERT, createFakeInvestigator } from '../agent/fake-investigator.js';
import { group, resultFor } from '../server/fixtures/webhook.js';

let db: Db;
let server: HolmesMcpServer;
let client: Client;
let calls: McpCallEvent[];
let ran: string[];

/** The fake toolbox plus one tool of another MCP server, which must never be served. */
function withExternal(toolbox: Toolbox): Toolbox {
  return {
    ...toolbox,
    tools: () => [
      ...toolbox.tools(),
      {
        toolset: 'mcp/github',
        spec: { name: 'github__delete_repo', description: 'Deletes a repository', parameters: {} } as never,
        inputSchema: { type: 'object' },
        external: true,
      },
    ],
  };
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const text = (result: CallToolResult) =>
  result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

beforeEach(async () => {
  db = openDatabase({ path: ':memory:' });
  const investigator = await createFakeInvestigator();
  ran = [];
  const toolbox = withExternal({
    ...investigator.toolbox,
    run: (name, params) => {
      ran.push(name);
      return investigator.toolbox.run(name.split('/').pop()!, params);
    },
  });
  calls = [];
  server = createHolmesMcpServer({
    toolbox,
    investigator,
    archive: createInvestigationArchive(sqliteStoreParts(db)),
    budget: configSchema.parse({}).budget,
    render: (result) => `rendered ${result.rootCause?.id ?? 'none'}`,
    logger: await createLogger({ level: 'silent' }),
    onCall: (event) => calls.push(event),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'Cursor (test)', version: '1' });
  await client.connect(clientSide);
});

afterEach(async () => {
  await client.close();
  await server.close();
  db.close();
});

describe('createHolmesMcpServer', () => {
  it("serves the toolbox's own tools and never another MCP server's", async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual([
      'get_investigation',
      'gpu_sharing',
      'investigate',
      'kubernetes_events',
      'list_investigations',
      'vllm_overview',
    ]);
    const result = await call('github__delete_repo', {});
    expect(result.isError).toBe(true);
    expect(ran).toEqual([]);
  });

  it('runs a tool through the toolbox by its toolset, with the status and queries in _meta', async () => {
    const result = await call('gpu_sharing', { namespace: 'llm' });
    expect(ran).toEqual(['gpu/dcgm/gpu_sharing']);
    expect(text(result)).toContain('ml-batch/embed-batch-r4812 busy 99%');
    expect(result._meta).toMatchObject({ 'holmes/status': 'success', 'holmes/toolset': 'gpu/dcgm' });
    const failed = await call('kubernetes_events', { namespace: 'llm' });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toMatch(/^\[error\] /);
  });

  it('lists and reads investigations from both stores: the server queue and the records', async () => {
    const queue = createInvestigationStore(db);
    const { groupKey, alerts } = group('KubePodCrashLooping', 2);
    const accepted = await queue.accept(alerts, {
      groupKey,
      groupStatus: 'firing',
      source: 'webhook',
      maxQueue: 10,
      maxAlertsPerGroup: 10,
    });
    const lease = { owner: 'test', ms: 60_000 };
    await queue.claimNext(lease);
    await queue.finish(accepted.investigationId!, resultFor(alerts), lease.owner);

    const investigated = await call('investigate', { labels: ALERT.labels });
    const recorded = investigated.structuredContent as { id: string; rootCause: { id: string } };
    expect(recorded.rootCause.id).toBe('gpu-noisy-neighbor');

    const listed = (await call('list_investigations', {})).structuredContent as {
      investigations: Array<{ id: string; store: string; requestedBy: string; team: string }>;
    };
    expect(listed.investigations.map((row) => [row.id, row.store])).toEqual([
      [recorded.id, 'record'],
      [accepted.investigationId, 'queue'],
    ]);
    expect(listed.investigations[0]).toMatchObject({ requestedBy: 'mcp:Cursor (test)', team: 'chat' });

    const filtered = (await call('list_investigations', { alertname: 'KubePodCrashLooping' })).structuredContent as {
      investigations: unknown[];
    };
    expect(filtered.investigations).toHaveLength(1);

    const fromQueue = await call('get_investigation', { id: accepted.investigationId! });
    expect(text(fromQueue)).toContain('rendered crashloop-bad-config');
    const byPrefix = await call('get_investigation', { id: recorded.id.slice(0, 8) });
    expect(text(byPrefix)).toContain(`Investigation ${recorded.id}`);
    const missing = await call('get_investigation', { id: 'deadbeef' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/No investigation deadbeef[\s\S]*list_investigations/);
  });

  it('counts every call by tool and client, those the SDK refuses before any handler included', async () => {
    await call('gpu_sharing', { namespace: 'llm' });
    await call('gpu_sharing', { namespace: 7 });
    await call('no_such_tool', {});
    await call('list_investigations', {});
    await client.readResource({ uri: 'holmes://runbooks/gpu-noisy-neighbor' });
    expect(calls.map(({ tool, client, status }) => [tool, client, status])).toEqual([
      ['gpu_sharing', 'Cursor (test)', 'success'],
      ['gpu_sharing', 'Cursor (test)', 'error'],
      ['unknown', 'Cursor (test)', 'error'],
      ['list_investigations', 'Cursor (test)', 'no_data'],
      ['resources/read', 'Cursor (test)', 'success'],
    ]);
  });
});

describe('createHolmesMcpServer tool list', () => {
  it('offers only the toolsets whose prerequisites pass, and follows them as they change', async () => {
    const investigator = await createFakeInvestigator();
    const base = investigator.toolbox;
    const serving = base.statuses.find((status) => status.id === 'llm/serving')!;
    const gpu = base.statuses.find((status) => status.id === 'gpu/dcgm')!;
    // What the prerequisite checks answer next: llm/serving has no vLLM metrics at first.
    const answers = new Map<string, ToolsetStatus['status']>([['llm/serving', 'failed']]);
    let refreshes = 0;
    const toolbox: Toolbox = {
      ...base,
      tools: (filter) =>
        base.tools().filter((tool) => {
          const status = base.statuses.find((candidate) => candidate.id === tool.toolset)!.status;
          return status === 'enabled' || (filter?.unavailable && status === 'failed');
        }),
      refresh: async () => {
        refreshes += 1;
        for (const [id, status] of answers) base.statuses.find((candidate) => candidate.id === id)!.status = status;
        return base.statuses;
      },
      run: async (name, params) => {
        // The call finds the GPU metrics gone (the exporter was uninstalled).
        gpu.status = 'failed';
        return base.run(name, params);
      },
    };
    const local = createHolmesMcpServer({
      toolbox,
      investigator,
      archive: createInvestigationArchive(sqliteStoreParts(db)),
      budget: configSchema.parse({}).budget,
      render: () => '',
      logger: await createLogger({ level: 'silent' }),
      recheckMs: 20,
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await local.connect(serverSide);
    const watcher = new Client({ name: 'watcher', version: '1' });
    let changes = 0;
    watcher.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changes += 1));
    await watcher.connect(clientSide);
    const listed = async () => (await watcher.listTools()).tools.map((tool) => tool.name).sort();
    try {
      expect(refreshes).toBeGreaterThan(0);
      expect(serving.status).toBe('failed');
      expect(await listed()).not.toContain('vllm_overview');
      expect(await listed()).toContain('gpu_sharing');

      // vLLM is scraped now: the next re-check offers its tools and tells the client.
      answers.set('llm/serving', 'enabled');
      await vi.waitFor(() => expect(changes).toBeGreaterThan(0), { timeout: 2_000 });
      expect(await listed()).toContain('vllm_overview');

      const seen = changes;
      await watcher.callTool({ name: 'gpu_sharing', arguments: { namespace: 'llm' } });
      await vi.waitFor(() => expect(changes).toBeGreaterThan(seen), { timeout: 2_000 });
      expect(await listed()).not.toContain('gpu_sharing');
      const refused = (await watcher.callTool({ name: 'gpu_sharing', arguments: {} })) as CallToolResult;
      expect(refused.isError).toBe(true);
    } finally {
      await watcher.close();
      await local.close();
    }
  });
});
