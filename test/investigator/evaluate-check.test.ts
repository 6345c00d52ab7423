import { describe, expect, it } from 'vitest';
import type { Entities } from '../../src/core/investigation.js';
import type { ToolResult } from '../../src/core/tool-result.js';
import { evaluateCheck, type CheckScope } from '../../src/investigator/evaluate-check.js';
import { checkSchema, type CheckSpec } from '../../src/runbooks/runbook-schema.js';
import type { Toolbox } from '../../src/toolsets/create-toolbox.js';
import { toolSchema } from '../../src/toolsets/toolset-schema.js';

/** A toolbox that answers from a table and records the calls it was asked to make. */
function scriptedToolbox(answer: (name: string, params: Record<string, unknown>) => Partial<ToolResult>) {
  const calls: Array<{ name: string; params: Record<string, unknown> }> = [];
  const toolbox: Toolbox = {
    statuses: [],
    failures: [],
    tools: () => [],
    run: async (name, params = {}) => {
      calls.push({ name, params });
      return {
        toolset: 'test/set',
        tool: name,
        params,
        status: 'success',
        text: '',
        data: null,
        requests: [`/q?${name}`],
        durationMs: 1,
        rawBytes: 0,
        ...answer(name, params),
      };
    },
  };
  return { toolbox, calls };
}

const entities: Entities = {
  alertname: 'Slow',
  namespace: 'web',
  pods: [
    { namespace: 'web', name: 'api-1' },
    { namespace: 'web', name: 'api.2' },
  ],
  containers: [],
  nodes: ['n1'],
  gpus: [],
  notes: [],
  unresolved: [],
};
const scope: CheckScope = {
  view: { namespace: 'web', pods: 'api-1|api\\.2', pod_list: 'api-1, api.2' },
  entities,
  now: new Date('2026-11-26T07:00:00Z'),
  alertStartMs: 0,
  windowMs: 1_800_000,
};

const check: CheckSpec = checkSchema.parse({
  id: 'throttled',
  description: 'CFS throttling of the pods',
  tool: 'prometheus_instant_query',
  params: { query: 'x{namespace="{{namespace}}",pod=~"{{pods}}"}' },
  needs: ['namespace', 'pods'],
  facts: { worst: '$max(data.result.value)', where: '$join(data.result[value > 0.25].labels.pod, ", ")' },
  supports: '$worst > 0.25',
  contradicts: '$worst < 0.05',
  weight: 4,
  explain: {
    supports: '{{where}} throttled {{worst_pct}}',
    contradicts: 'throttling of {{pod_list}} is {{worst_pct}}',
  },
});

function series(values: Array<[string, number]>) {
  return { result: values.map(([pod, value]) => ({ labels: { pod }, value })) };
}

describe('evaluateCheck', () => {
  it('renders the parameters from the entities and supports with a concrete sentence', async () => {
    const { toolbox, calls } = scriptedToolbox(() => ({
      data: series([
        ['api-1', 0.42],
        ['api.2', 0.1],
      ]),
    }));
    const { evidence } = await evaluateCheck('cpu-throttling', check, scope, toolbox, new Map());
    expect(calls[0]!.params.query).toBe('x{namespace="web",pod=~"api-1|api\\.2"}');
    expect(evidence.verdict).toBe('supports');
    expect(evidence.sentence).toBe('api-1 throttled 42%');
    expect(evidence.tool.requests).toEqual(['/q?prometheus_instant_query']);
  });

  it('contradicts when the contradicting expression holds', async () => {
    const { toolbox } = scriptedToolbox(() => ({ data: series([['api-1', 0.01]]) }));
    const { evidence } = await evaluateCheck('cpu-throttling', check, scope, toolbox, new Map());
    expect(evidence.verdict).toBe('contradicts');
    expect(evidence.sentence).toBe('throttling of api-1, api.2 is 1%');
  });

  it('is inconclusive between the two thresholds', async () => {
    const { toolbox } = scriptedToolbox(() => ({ data: series([['api-1', 0.1]]) }));
    expect((await evaluateCheck('cpu-throttling', check, scope, toolbox, new Map())).evidence.verdict).toBe(
      'inconclusive',
    );
  });

  it('is unavailable, without calling the tool, when a needed entity is missing', async () => {
    const { toolbox, calls } = scriptedToolbox(() => ({}));
    const { evidence } = await evaluateCheck(
      'cpu-throttling',
      check,
      { ...scope, view: { namespace: 'web' } },
      toolbox,
      new Map(),
    );
    expect(evidence.verdict).toBe('unavailable');
    expect(evidence.sentence).toContain('could not resolve pods');
    expect(calls).toHaveLength(0);
  });

  it("takes the tool's needs when the check names none, and lets a check's own needs override them", async () => {
    const { toolbox, calls } = scriptedToolbox(() => ({ data: series([['api-1', 0.42]]) }));
    const declared = toolSchema.parse({
      name: 'prometheus_instant_query',
      description: 'one PromQL query at an instant',
      needs: ['namespace', 'pods'],
      builtin: 'prometheus_instant_query',
    });
    toolbox.tools = () => [{ toolset: 'test/set', spec: declared }] as ReturnType<Toolbox['tools']>;
    const namespaceOnly = { ...scope, view: { namespace: 'web' } };
    const { needs: _needs, ...withoutNeeds } = check;
    const inherited = await evaluateCheck('cpu-throttling', withoutNeeds, namespaceOnly, toolbox, new Map());
    expect(inherited.evidence.verdict).toBe('unavailable');
    expect(inherited.evidence.sentence).toContain('could not resolve pods');
    expect(calls).toHaveLength(0);
    const own = await evaluateCheck(
      'cpu-throttling',
      { ...check, needs: ['namespace'] },
      namespaceOnly,
      toolbox,
      new Map(),
    );
    expect(own.evidence.verdict).toBe('supports');
    expect(calls).toHaveLength(1);
  });

  it('is unavailable with the tool error when the tool fails', async () => {
    const { toolbox } = scriptedToolbox(() => ({
      status: 'error',
      error: 'Prometheus at http://p is not reachable',
      text: 'x',
    }));
    const { evidence } = await evaluateCheck('cpu-throttling', check, scope, toolbox, new Map());
    expect(evidence.verdict).toBe('unavailable');
    expect(evidence.sentence).toContain('not reachable');
  });

  it('makes an identical tool call once across checks', async () => {
    const { toolbox, calls } = scriptedToolbox(() => ({ data: series([['api-1', 0.5]]) }));
    const cache = new Map();
    await Promise.all([
      evaluateCheck('a', check, scope, toolbox, cache),
      evaluateCheck('b', { ...check, id: 'other' }, scope, toolbox, cache),
    ]);
    expect(calls).toHaveLength(1);
  });

  it('renders a sentence when an intermediate fact is a list of records', async () => {
    const { toolbox } = scriptedToolbox(() => ({
      data: series([
        ['api-1', 0.42],
        ['api.2', 0.1],
      ]),
    }));
    const records = checkSchema.parse({
      ...check,
      facts: {
        rows: 'data.result.{ "pod": labels.pod, "share": value }',
        worst: '$max($rows.share)',
        where: '$join($rows[share > 0.25].pod, ", ")',
      },
    });
    const { evidence } = await evaluateCheck('cpu-throttling', records, scope, toolbox, new Map());
    expect(evidence.verdict).toBe('supports');
    expect(evidence.sentence).toBe('api-1 throttled 42%');
  });
});
