import { ToolMessage } from '@langchain/core/messages';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processesMentioning, tsxCommand } from '../cli/run-cli.js';
import { createHarness, type Harness } from './agent-harness.js';
import { ALERT, finalAnswer } from './fake-investigator.js';
import type { ScriptedRequest } from './scripted-chat-model.js';

const FIXTURE = fileURLToPath(new URL('../toolsets/mcp/fixtures/tiny-mcp-server.ts', import.meta.url));

let dir: string;
let harness: Harness | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'holmes-agent-mcp-'));
});
afterEach(() => harness?.close());
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const offered = (request: ScriptedRequest) =>
  (request.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name);

function toolOutput(request: ScriptedRequest, id: string): string {
  const message = request.messages.find(
    (candidate) => ToolMessage.isInstance(candidate) && candidate.tool_call_id === id,
  );
  if (!message) throw new Error(`no result for ${id}`);
  return String(message.content);
}

function tinyServer(extra: Record<string, unknown> = {}) {
  return {
    mcpServers: {
      tiny: {
        ...tsxCommand(FIXTURE),
        env: { TINY_MARKER: join(dir, 'deleted') },
        allowTools: ['gpu_owner'],
        restartAfterMs: 0,
        ...extra,
      },
    },
  };
}

describe('the agent with an MCP server as a toolset (scripted model, stdio server)', () => {
  it('calls an allowed tool, is never offered the others, and completes degraded when the server is killed mid-run', async () => {
    let killed: number | undefined;
    harness = await createHarness(
      [
        {
          toolCalls: [{ id: 'call_owner', name: 'tiny__gpu_owner', args: { gpu: '3' } }],
          usage: { input: 900, output: 30 },
        },
        (request) => {
          // The model read the MCP tool's answer; now the server dies, as a process can mid-investigation.
          expect(toolOutput(request, 'call_owner')).toContain('embed-batch-r4812-v7k2p');
          [killed] = processesMentioning(FIXTURE);
          process.kill(killed!, 'SIGKILL');
          return {
            toolCalls: [
              { id: 'call_again', name: 'tiny__gpu_owner', args: { gpu: '3', node: 'gpu-a100-07' } },
              { id: 'call_share', name: 'gpu_sharing', args: { namespace: 'llm' } },
            ],
            usage: { input: 1400, output: 40 },
          };
        },
        (request) => {
          expect(toolOutput(request, 'call_again')).toMatch(/^\[error\] .*MCP server tiny/);
          return { toolCalls: [finalAnswer(['E1', 'call_owner', 'call_share'])], usage: { input: 1900, output: 200 } };
        },
      ],
      tinyServer(),
    );
    const result = await harness.agent.investigate(ALERT);

    const [first, second, third] = harness.model.calls;
    expect(offered(first!)).toContain('tiny__gpu_owner');
    // The model gets the server's own JSON Schema for the tool.
    const definition = (first!.tools as Array<{ function: { name: string; parameters: unknown } }>).find(
      (tool) => tool.function.name === 'tiny__gpu_owner',
    );
    expect(definition!.function.parameters).toMatchObject({ type: 'object', required: ['gpu'] });
    for (const call of harness.model.calls) expect(offered(call)).not.toContain('tiny__delete_everything');
    // Offered whatever toolsets the evidence chose, and no longer once the server is gone.
    expect(offered(second!)).toContain('tiny__gpu_owner');
    expect(offered(third!)).not.toContain('tiny__gpu_owner');
    expect(offered(third!)).toContain('gpu_sharing');

    expect(result).toMatchObject({ mode: 'llm', status: 'degraded', rootCause: { id: 'gpu-noisy-neighbor' } });
    expect(result.llm!.answer).not.toBeNull();
    expect(result.llm!.answer!.evidence[0]!.queries).toContain('MCP tiny: tools/call gpu_owner');
    expect(result.notChecked).toEqual(expect.arrayContaining([expect.stringMatching(/^mcp\/tiny did not answer/)]));
    expect(await harness.agent.records.get(result.id)).toMatchObject({ state: 'degraded' });
    expect(harness.agent.investigator.toolbox.statuses.find((status) => status.id === 'mcp/tiny')).toMatchObject({
      status: 'failed',
      unreachable: true,
    });
    expect(processesMentioning(FIXTURE)).not.toContain(killed);
    expect(existsSync(join(dir, 'deleted'))).toBe(false);
  });

  it('refuses a tool the model names although it was not offered, and the investigation completes', async () => {
    harness = await createHarness(
      [
        {
          toolCalls: [{ id: 'call_delete', name: 'tiny__delete_everything', args: { node: 'gpu-a100-07' } }],
          usage: { input: 900, output: 30 },
        },
        (request) => {
          expect(toolOutput(request, 'call_delete')).toMatch(
            /Refused: delete_everything .* not in mcpServers\.tiny\.allowTools/,
          );
          return { toolCalls: [finalAnswer(['E1'])], usage: { input: 1300, output: 200 } };
        },
      ],
      tinyServer(),
    );
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    expect(existsSync(join(dir, 'deleted'))).toBe(false);
  });

  it('never runs an MCP tool unasked in the first look of a question; only the model calls it', async () => {
    harness = await createHarness(
      [
        (request) => {
          expect(offered(request)).toContain('tiny__gpu_owner');
          return { toolCalls: [finalAnswer([], { cause: 'other', evidence: [] })], usage: { input: 900, output: 200 } };
        },
      ],
      tinyServer(),
    );
    const result = await harness.agent.ask('which workloads hold gpu 3, and which owner has those workloads?');
    expect(result.llm!.firstLook.map((look) => look.tool)).not.toContain('tiny__gpu_owner');
    expect(result.llm!.firstLook.length).toBeGreaterThan(0);
  });

  it('goes on without the tools of a server that does not start', async () => {
    harness = await createHarness(
      [{ toolCalls: [finalAnswer(['E1'])], usage: { input: 900, output: 200 } }],
      tinyServer({ command: join(dir, 'no-such-server'), args: [] }),
    );
    const result = await harness.agent.investigate(ALERT);
    expect(result).toMatchObject({ status: 'completed', rootCause: { id: 'gpu-noisy-neighbor' } });
    expect(offered(harness.model.calls[0]!).filter((name) => name.startsWith('tiny__'))).toEqual([]);
    expect(harness.agent.investigator.toolbox.statuses.find((status) => status.id === 'mcp/tiny')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/did not start/),
    });
  });
});
