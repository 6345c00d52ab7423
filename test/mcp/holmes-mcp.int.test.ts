import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { configForLab } from '../../src/lab/config-for-lab.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import type { Scenario } from '../../src/lab/scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { toolboxFromConfig } from '../../src/toolsets/toolbox-from-config.js';
import { cliCommand, createSandbox, type Sandbox } from '../cli/run-cli.js';
import { sampleValue, spawnServe, TOKEN, type ServeProcess } from '../server/fixtures/spawn-serve.js';

const SCENARIO = fileURLToPath(new URL('../../evals/scenarios/chat-api-p99-shared-gpu/', import.meta.url));
const CLIENT = { name: 'holmes-test-client', version: '1.0.0' };

let scenario: Scenario;
let lab: Lab;
let sandbox: Sandbox;
let serve: ServeProcess;
let configFile: string;
/** The tools the toolsets offer against this lab, from an in-process toolbox. */
let expectedTools: string[];
/** Tools of toolsets whose prerequisites fail against this lab. */
let unavailableTools: string[];

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

beforeAll(async () => {
  scenario = await loadScenario(SCENARIO);
  lab = await startLab(scenario);
  sandbox = await createSandbox();
  configFile = await sandbox.write(
    'holmes.yaml',
    stringify({
      prometheus: { url: lab.prometheusUrl },
      kubernetes: { server: lab.kubeApiUrl },
      storage: { path: join(sandbox.dir, 'serve.db') },
      server: { host: '127.0.0.1', port: 0, tokens: [{ env: 'TEST_SERVE_TOKEN' }], shutdownGraceMs: 5_000 },
      log: { level: 'info' },
    }),
  );
  serve = await spawnServe(sandbox, configFile);
  const toolbox = await toolboxFromConfig(configForLab(configSchema.parse({}), lab));
  // As checked against the lab: toolsets whose metrics it lacks (LiteLLM, InfiniBand) are not offered.
  await toolbox.refresh();
  expectedTools = toolbox.tools().map((tool) => tool.spec.name);
  unavailableTools = toolbox
    .tools({ unavailable: true })
    .map((tool) => tool.spec.name)
    .filter((name) => !expectedTools.includes(name));
});

afterAll(async () => {
  await serve?.stop();
  await lab?.close();
  await sandbox?.remove();
});

const transports = {
  stdio: () => {
    const cli = cliCommand(['--config', configFile, 'mcp']);
    // Its own store: what it records is not mixed with the server's.
    return new StdioClientTransport({
      ...cli,
      cwd: sandbox.dir,
      env: { ...(sandbox.env as Record<string, string>), HOLMES_STORAGE_PATH: join(sandbox.dir, 'stdio.db') },
      stderr: 'pipe',
    });
  },
  'Streamable HTTP': () =>
    new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    }),
};

describe.each(Object.keys(transports) as Array<keyof typeof transports>)('holmes mcp over %s', (name) => {
  let client: Client;
  let transport: ReturnType<(typeof transports)[typeof name]>;
  let stderr = '';
  let tools: Tool[];

  beforeAll(async () => {
    transport = transports[name]();
    if (transport instanceof StdioClientTransport)
      transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    client = new Client(CLIENT);
    await client.connect(transport);
    tools = (await client.listTools()).tools;
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (tool: string, args: Record<string, unknown>) =>
    (await client.callTool({ name: tool, arguments: args })) as CallToolResult;

  it('lists every tool of the loaded toolsets and the investigation tools, each with a valid JSON Schema', () => {
    const names = tools.map((tool) => tool.name);
    expect(expectedTools.length).toBeGreaterThan(20);
    expect(names).toEqual(
      expect.arrayContaining([...expectedTools, 'investigate', 'list_investigations', 'get_investigation']),
    );
    expect(names).toHaveLength(expectedTools.length + 3);
    expect(unavailableTools).toEqual(expect.arrayContaining(['llm_spend_breakdown', 'fabric_port_health']));
    for (const name of unavailableTools) expect(names).not.toContain(name);
    // Formats (date-time for timestamps) as the MCP SDK's own validator knows them.
    const ajv = addFormats.default(new Ajv({ strict: true, allErrors: true }));
    for (const tool of tools) {
      expect(ajv.validateSchema(tool.inputSchema), `${tool.name}: ${ajv.errorsText()}`).toBe(true);
      expect(() => ajv.compile(tool.inputSchema), tool.name).not.toThrow();
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations?.destructiveHint, tool.name).toBe(false);
    }
    // The schema carries the toolset's types, bounds, defaults and descriptions.
    const list = tools.find((tool) => tool.name === 'kubernetes_list')!;
    expect(list.inputSchema.required).toEqual(['kind']);
    expect(list.inputSchema.properties?.top_k).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 200,
      default: 30,
    });
    expect((list.inputSchema.properties?.kind as { description?: string }).description).toMatch(/Deployment/);
  });

  it('runs a Prometheus tool against the lab: the compact, capped text and the query it ran', async () => {
    const args = { query: 'sum by (pod) (vllm:num_requests_running{namespace="llm"})', top_k: 5 };
    const schema = tools.find((tool) => tool.name === 'prometheus_instant_query')!.inputSchema;
    expect(new Ajv().validate(schema, args)).toBe(true);
    const result = await call('prometheus_instant_query', args);
    expect(result.isError).toBeFalsy();
    // The scenario's three chat-api pods, by name, from the real Prometheus.
    for (const pod of ['chat-api-6f8b9c7d54-2xkqp', 'chat-api-6f8b9c7d54-h7v9n']) expect(text(result)).toContain(pod);
    const requests = (result._meta?.['holmes/requests'] as string[]).map((request) =>
      new URLSearchParams(request.split('?')[1]).get('query'),
    );
    expect(requests).toEqual([args.query]);
  });

  it('refuses write-looking calls: a Secret is never read, and there is no tool that deletes', async () => {
    const before = lab.kubeApi.requests.length;
    const secret = await call('kubernetes_get', { kind: 'Secret', name: 'chat-api-token', namespace: 'llm' });
    expect(secret.isError).toBe(true);
    expect(text(secret)).toMatch(/never reads Secrets/);
    const listed = await call('kubernetes_list', { kind: 'secrets', namespace: 'llm' });
    expect(listed.isError).toBe(true);
    expect(lab.kubeApi.requests.slice(before).filter((request) => /secret/i.test(request.path))).toEqual([]);
    const deletion = await call('kubernetes_delete', {
      kind: 'Pod',
      name: 'chat-api-6f8b9c7d54-2xkqp',
      namespace: 'llm',
    });
    expect(deletion.isError).toBe(true);
    expect(text(deletion)).toMatch(/kubernetes_delete not found/);
    // A parameter that is not in the schema is refused, not passed on.
    const extra = await call('kubernetes_list', { kind: 'Pod', namespace: 'llm', verb: 'delete' });
    expect(extra.isError).toBe(true);
  });

  it('investigates the alert at zero tokens and reads the investigation back', async () => {
    const result = await call('investigate', { alert: scenario.alert });
    expect(result.isError).toBeFalsy();
    const investigation = result.structuredContent as unknown as InvestigationResult;
    expect(investigation.mode).toBe('deterministic');
    expect(investigation.rootCause?.id).toBe(scenario.expected.rootCause);
    expect(investigation.usage).toMatchObject({ modelCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0 });
    expect(text(result)).toContain(`ROOT CAUSE  ${scenario.expected.rootCause}`);

    const listed = await call('list_investigations', { limit: 5 });
    const rows = (listed.structuredContent as { investigations: Array<{ id: string; requestedBy: string }> })
      .investigations;
    expect(rows.find((row) => row.id === investigation.id)).toMatchObject({ requestedBy: `mcp:${CLIENT.name}` });
    expect(text(listed)).toContain(investigation.id);

    const read = await call('get_investigation', { id: investigation.id });
    const stored = read.structuredContent as { investigation: { state: string }; result: InvestigationResult };
    expect(stored.investigation.state).toBe(investigation.status);
    expect(stored.result.rootCause?.id).toBe(scenario.expected.rootCause);
  });

  it('investigates from alert labels alone, and says what was wrong with a bad alert', async () => {
    const result = await call('investigate', {
      labels: scenario.alert.labels,
      annotations: scenario.alert.annotations,
    });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as unknown as InvestigationResult).alert?.labels).toEqual(scenario.alert.labels);
    const neither = await call('investigate', {});
    expect(neither.isError).toBe(true);
    expect(text(neither)).toMatch(/Give either `alert` or `labels`/);
    const malformed = await call('investigate', { alert: { labels: { alertname: 7 } } });
    expect(malformed.isError).toBe(true);
    expect(text(malformed)).toMatch(/labels\.alertname/);
  });

  it('serves the runbooks as Markdown resources', async () => {
    const runbooks = (await loadRunbooks([BUILTIN_RUNBOOKS_DIR])).runbooks;
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual(
      runbooks.map((runbook) => `holmes://runbooks/${runbook.id}`).sort(),
    );
    const runbook = runbooks.find((candidate) => candidate.id === scenario.expected.rootCause)!;
    const read = await client.readResource({ uri: `holmes://runbooks/${runbook.id}` });
    expect(read.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: await readFile(runbook.file, 'utf8') });
  });

  it('logs every call with its tool and client', () => {
    const logs = name === 'stdio' ? stderr : serve.stderr();
    const calls = logs
      .split('\n')
      .filter((line) => line.includes('"msg":"mcp call"'))
      .map((line) => (JSON.parse(line) as { mcp: { tool: string; client: string; status: string } }).mcp);
    expect(calls).toEqual(
      expect.arrayContaining([
        { tool: 'prometheus_instant_query', client: CLIENT.name, status: 'success', durationMs: expect.any(Number) },
        { tool: 'kubernetes_get', client: CLIENT.name, status: 'error', durationMs: expect.any(Number) },
        { tool: 'unknown', client: CLIENT.name, status: 'error', durationMs: expect.any(Number) },
        { tool: 'investigate', client: CLIENT.name, status: 'success', durationMs: expect.any(Number) },
        { tool: 'resources/read', client: CLIENT.name, status: 'success', durationMs: expect.any(Number) },
      ]),
    );
  });
});

describe('/mcp on holmes serve', () => {
  it('counts the calls on /metrics by tool and client', async () => {
    const metrics = await (
      await fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    const client = `client="${CLIENT.name}"`;
    expect(
      sampleValue(metrics, 'holmes_mcp_calls_total', `tool="prometheus_instant_query",${client}`),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(metrics, 'holmes_mcp_calls_total', `tool="investigate",${client},status="success"`)).toBe(2);
    expect(sampleValue(metrics, 'holmes_mcp_calls_total', `tool="investigate",${client},status="error"`)).toBe(2);
    expect(sampleValue(metrics, 'holmes_mcp_call_duration_seconds_count', 'tool="investigate"')).toBe(4);
  });

  it('answers 401 to a client without credentials, or with a wrong token', async () => {
    const anonymous = new Client(CLIENT);
    await expect(anonymous.connect(new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp`)))).rejects.toThrow(
      /401|nauthorized/,
    );
    const wrong = new Client(CLIENT);
    await expect(
      wrong.connect(
        new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp`), {
          requestInit: { headers: { Authorization: 'Bearer not-the-token' } },
        }),
      ),
    ).rejects.toThrow(/401|nauthorized/);
    const raw = await fetch(`${serve.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(raw.status).toBe(401);
  });
});
