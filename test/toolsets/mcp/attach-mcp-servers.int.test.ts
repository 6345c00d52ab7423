import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import type { Toolbox } from '../../../src/toolsets/create-toolbox.js';
import { attachMcpServers } from '../../../src/toolsets/mcp/attach-mcp-servers.js';
import { processesMentioning, tsxCommand } from '../../cli/run-cli.js';
import { serveTinyOverHttp, WORKLOADS } from './fixtures/tiny-mcp-server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-mcp-server.ts', import.meta.url));

/** A toolbox of no toolsets: what is in it came from the MCP servers. */
const EMPTY: Toolbox = {
  statuses: [],
  failures: [],
  tools: () => [],
  run: async (name) => {
    throw new Error(`the base toolbox was asked for ${name}`);
  },
};

let dir: string;
let opened: Toolbox | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'holmes-mcp-client-'));
});
afterEach(async () => {
  await opened?.close?.();
  opened = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tiny(server: Record<string, unknown>, toolsets: Record<string, unknown> = {}) {
  return configSchema.parse({
    toolsets,
    mcpServers: {
      // tsx compiles the fixture at each start: on a loaded CI machine that takes longer than the default.
      tiny: {
        ...tsxCommand(FIXTURE),
        env: { TINY_MARKER: join(dir, 'deleted') },
        startTimeoutMs: 45_000,
        ...server,
      },
    },
  });
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  // Up to 45 s: a restart runs tsx again (see tiny).
  for (let attempt = 0; attempt < 900; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('attachMcpServers', () => {
  it('offers only the allowed tools of a stdio server, under its prefix, and runs them with a summarised, capped output', async () => {
    opened = await attachMcpServers(EMPTY, tiny({ allowTools: ['gpu_*'] }, { maxOutputTokens: 300 }));
    const status = opened.statuses.find((candidate) => candidate.id === 'mcp/tiny')!;
    expect(status).toMatchObject({ status: 'enabled', external: true, tools: ['tiny__gpu_owner'] });
    expect(status.reason).toMatch(/not allowed.*delete_everything/);
    expect(status.description).toBe('GPU ownership records of the cluster');
    const [tool] = opened.tools();
    expect(tool).toMatchObject({ toolset: 'mcp/tiny', external: true, spec: { name: 'tiny__gpu_owner' } });
    expect(tool!.inputSchema).toMatchObject({ type: 'object', required: ['gpu'] });

    const result = await opened.run('tiny__gpu_owner', { gpu: '3' });
    expect(result).toMatchObject({ toolset: 'mcp/tiny', tool: 'tiny__gpu_owner', status: 'success' });
    expect(result.requests).toEqual(['MCP tiny: tools/call gpu_owner']);
    // The JSON list is summarised (first items, then a count), and the whole is capped in tokens.
    expect(result.text).toContain('workloads: 60 items');
    expect(result.text).toContain('"pod":"embed-batch-r4812-v7k2p"');
    expect(result.text).toMatch(new RegExp(`… ${WORKLOADS - 20} more items|output cut at 300 tokens`));
    expect(result.omitted?.what).toMatch(/list items/);
    expect(result.rawBytes).toBeGreaterThan(Buffer.byteLength(result.text));
  });

  it('refuses a tool that is not allowed, without calling it', async () => {
    opened = await attachMcpServers(EMPTY, tiny({ allowTools: ['gpu_owner'] }));
    expect(opened.tools().map((tool) => tool.spec.name)).toEqual(['tiny__gpu_owner']);
    const refused = await opened.run('tiny__delete_everything', { node: 'gpu-a100-07' });
    expect(refused.status).toBe('error');
    expect(refused.text).toMatch(/not in mcpServers\.tiny\.allowTools/);
    expect(existsSync(join(dir, 'deleted'))).toBe(false);
  });

  it('does not even start a server none of whose tools is allowed (the default)', async () => {
    opened = await attachMcpServers(EMPTY, tiny({}));
    expect(opened.statuses[0]).toMatchObject({ status: 'disabled', reason: expect.stringMatching(/allowTools/) });
    expect(opened.tools()).toEqual([]);
    expect(processesMentioning(FIXTURE)).toEqual([]);
    expect((await opened.run('tiny__gpu_owner', { gpu: '3' })).status).toBe('error');
  });

  it('marks a server that does not start as failed, with the reason', async () => {
    opened = await attachMcpServers(EMPTY, tiny({ command: join(dir, 'no-such-server'), args: [], allowTools: ['*'] }));
    expect(opened.statuses[0]).toMatchObject({ status: 'failed', unreachable: true });
    expect(opened.statuses[0]!.reason).toMatch(/did not start/);
    expect(opened.tools()).toEqual([]);
    const result = await opened.run('tiny__gpu_owner', { gpu: '3' });
    expect(result).toMatchObject({ status: 'error', unreachable: true });
  });

  it('marks the tools of a server that dies unavailable, then starts it again', async () => {
    opened = await attachMcpServers(EMPTY, tiny({ allowTools: ['gpu_owner'], restartAfterMs: 200 }));
    const [pid] = processesMentioning(FIXTURE);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => opened!.statuses[0]!.status === 'failed', 'the server to be marked failed');
    expect(opened.statuses[0]!.reason).toMatch(/exited or hung up \(stderr: tiny: serving on stdio\)/);
    expect(opened.tools()).toEqual([]);
    expect(await opened.run('tiny__gpu_owner', { gpu: '3' })).toMatchObject({ status: 'error', unreachable: true });
    await waitFor(() => opened!.statuses[0]!.status === 'enabled', 'the server to be started again');
    expect(processesMentioning(FIXTURE)).not.toContain(pid);
    expect((await opened.run('tiny__gpu_owner', { gpu: '3' })).status).toBe('success');
  });

  it('reaches a server over Streamable HTTP with headers from secret references, and notices when it goes away', async () => {
    const served = await serveTinyOverHttp('tiny-secret-7c1d');
    try {
      const config = configSchema.parse({
        mcpServers: {
          tiny: {
            url: served.url,
            headers: { Authorization: { env: 'TINY_AUTHORIZATION' } },
            allowTools: ['gpu_owner'],
          },
        },
      });
      opened = await attachMcpServers(EMPTY, config, { env: { TINY_AUTHORIZATION: 'Bearer tiny-secret-7c1d' } });
      expect(opened.statuses[0]!.status).toBe('enabled');
      expect((await opened.run('tiny__gpu_owner', { gpu: '3' })).text).toContain('team-ml-batch');
      expect(new Set(served.requests)).toEqual(new Set(['Bearer tiny-secret-7c1d']));
      // The server goes away: the call in hand says so, and the tools are no longer offered.
      await served.close();
      expect(await opened.run('tiny__gpu_owner', { gpu: '3' })).toMatchObject({ status: 'error', unreachable: true });
      expect(opened.statuses[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/went away/) });
      expect(opened.tools()).toEqual([]);
      await opened.close?.();

      // The reference cannot be resolved: the server is unavailable and says which variable is missing.
      opened = await attachMcpServers(EMPTY, config, { env: {} });
      expect(opened.statuses[0]).toMatchObject({ status: 'failed' });
      expect(opened.statuses[0]!.reason).toMatch(/environment variable TINY_AUTHORIZATION is not set/);
    } finally {
      await served.close();
    }
  });
});
