import { describe, expect, it } from 'vitest';
import type { InstantSeries, RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import { BUILTINS } from '../../../src/toolsets/builtins/index.js';
import { llmClientGrowth } from '../../../src/toolsets/builtins/llm-client-growth.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../../src/toolsets/load-toolsets.js';
import type { ClientGrowthData } from '../../../src/toolsets/signals/measure-client-growth.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import type { SignalSpec } from '../../../src/toolsets/toolset-schema.js';
import { fakePrometheus } from '../fake-clients.js';

// The signals as shipped: their dialects (LiteLLM's token names before and after August 2025) are under test too.
const { toolsets } = await loadToolsets({
  directories: [BUILTIN_TOOLSETS_DIR],
  builtins: new Set(Object.keys(BUILTINS)),
});
const signals = new Map<string, SignalSpec>(toolsets.flatMap(({ spec }) => Object.entries(spec.signals)));
const spendToolset = toolsets.find(({ spec }) => spec.id === 'cost/llm-spend')!.spec;

const NOW = new Date('2026-12-02T17:00:00Z');
const ALERT = new Date(NOW.getTime() - 20 * 60_000).toISOString();
const ONSET_S = NOW.getTime() / 1000 - 45 * 60;
const TEAM_ID = '2d7f4a91-0c3e-4b6a-8f5d-93e1b7c2a4d8';

/** Labels as the proxy exposes them (end_user unset reads "None"), after the query's `sum by`. */
const client = (alias: string) => ({ api_key_alias: alias, hashed_api_key: `hash-${alias}`, end_user: 'None' });

function series(labels: Record<string, string>, before: number, after: number): RangeSeries {
  const values: Array<[number, number]> = [];
  for (let t = NOW.getTime() / 1000 - 180 * 60; t <= NOW.getTime() / 1000; t += 30)
    values.push([t, t < ONSET_S ? before : after]);
  return { labels, values };
}

function gateway(tokenNames: 'current' | 'legacy') {
  const suffix = tokenNames === 'current' ? '_metric_total' : '_total';
  const prometheus = fakePrometheus({
    metricNames: [
      'litellm_proxy_total_requests_metric_total',
      'litellm_spend_metric_total',
      `litellm_total_tokens${suffix}`,
      `litellm_input_tokens${suffix}`,
    ],
    instant: (query): InstantSeries[] =>
      query.startsWith('group by (team, team_alias)')
        ? [
            { labels: { team: TEAM_ID, team_alias: 'knowledge-base' }, value: [0, 1] },
            { labels: { team: 'other-id', team_alias: 'legal-ops' }, value: [0, 1] },
          ]
        : [],
    range: (query) => {
      if (query.startsWith('sum(')) return [series({}, 50, 52)];
      if (!query.includes(`team="${TEAM_ID}"`)) return [];
      if (query.includes('litellm_proxy_total_requests')) return [series(client('kb-answer'), 100, 98)];
      if (query.includes(`litellm_input_tokens${suffix}`)) return [series(client('kb-answer'), 430_000, 2_700_000)];
      if (query.includes(`litellm_total_tokens${suffix}`)) return [series(client('kb-answer'), 470_000, 2_740_000)];
      if (query.includes('litellm_spend')) return [series(client('kb-answer'), 5, 26)];
      return [];
    },
  });
  const context: ToolContext = { prometheus, kube: undefined, now: () => NOW, toolset: spendToolset, signals };
  return { prometheus, context };
}

describe('llmClientGrowth', () => {
  it.each(['current', 'legacy'] as const)(
    'names the client whose requests grew in size on LiteLLM %s token names, the team given by its alias',
    async (names) => {
      const { prometheus, context } = gateway(names);
      const result = await llmClientGrowth({ team: 'Knowledge Base', alert_start: ALERT }, context);
      const data = result.data as ClientGrowthData & { endUserTracked: boolean };
      expect(result.status).toBe('success');
      expect(data.measure).toBe('spend');
      expect(data.driver?.subject).toBe('kb-answer');
      expect(data.driver?.sizeRatio).toBeGreaterThan(5.5);
      expect(data.driver?.requestsRatio).toBeCloseTo(0.98, 5);
      expect(data.others.ratio).toBeCloseTo(52 / 50, 5);
      // The alias became the id; the other teams were read as one sum without it.
      expect(prometheus.queries.some((query) => query.includes(`team!="${TEAM_ID}"`))).toBe(true);
      expect(prometheus.queries.some((query) => query.includes('team="Knowledge Base"'))).toBe(false);
      // end_user "None" is no end user: the client is the key, and the text says tracking is off.
      expect(data.endUserTracked).toBe(false);
      expect(result.text).toMatch(/End-user tracking is off/);
    },
  );

  it('reads every client of the gateway when the alert names no team or key', async () => {
    const prometheus = fakePrometheus({
      metricNames: ['litellm_proxy_total_requests_metric_total'],
      range: (query) => (query.includes('team=~".*"') ? [series(client('cc-ticket-triage'), 20, 340)] : []),
    });
    const context: ToolContext = { prometheus, kube: undefined, now: () => NOW, toolset: spendToolset, signals };
    const result = await llmClientGrowth({ alert_start: ALERT }, context);
    const data = result.data as ClientGrowthData;
    expect(data.measure).toBe('requests');
    expect(data.driver).toMatchObject({ subject: 'cc-ticket-triage', requestsRatio: 17 });
    // LiteLLM's key endpoints take the hash in place of the key: the remediation can name it.
    expect((result.data as { driverKey: string }).driverKey).toBe('hash-cc-ticket-triage');
    expect(data.others.count).toBe(0);
    expect(prometheus.queries.filter((query) => query.includes('team!='))).toEqual([]);
  });

  it("draws each client's request rate against the team's spend, from the team's onset", async () => {
    const { context } = gateway('current');
    const result = await llmClientGrowth({ team: 'Knowledge Base', alert_start: ALERT }, context);
    const graph = result.graph!;
    expect(graph).toMatchObject({
      title: 'Requests per client against the team spend (team Knowledge Base)',
      unit: 'requests_per_second',
      rightUnit: 'usd_per_hour',
      alertStart: ALERT,
      end: NOW.toISOString(),
    });
    // Requests stayed flat; the spend stepped 45 minutes ago: that is the onset marked.
    expect(Math.abs(Date.parse(graph.onset!) - ONSET_S * 1000)).toBeLessThanOrEqual(2 * 60_000);
    expect(graph.series).toEqual([
      {
        query: `(sum by (api_key_alias, hashed_api_key, end_user) (rate(litellm_proxy_total_requests_metric_total{ team="${TEAM_ID}" }[5m])) * 60) / 60`,
        legend: ['api_key_alias'],
        role: 'suspect',
      },
      {
        query: `sum(sum by (api_key_alias, hashed_api_key, end_user) (rate(litellm_spend_metric_total{ team="${TEAM_ID}" }[5m])) * 3600)`,
        legend: 'team spend',
        axis: 'right',
        role: 'victim',
      },
    ]);
  });

  it("draws the clients' requests alone, from the driver's step, when the gateway prices nothing and counts no tokens", async () => {
    const prometheus = fakePrometheus({
      metricNames: ['litellm_proxy_total_requests_metric_total'],
      range: (query) => (query.includes('team=~".*"') ? [series(client('cc-ticket-triage'), 20, 340)] : []),
    });
    const context: ToolContext = { prometheus, kube: undefined, now: () => NOW, toolset: spendToolset, signals };
    const result = await llmClientGrowth({ alert_start: ALERT }, context);
    expect(result.graph?.title).toBe('Requests per client');
    expect(result.graph?.series).toHaveLength(1);
    expect(result.graph?.rightUnit).toBeUndefined();
    expect(Math.abs(Date.parse(result.graph!.onset!) - ONSET_S * 1000)).toBeLessThanOrEqual(2 * 60_000);
  });

  it('says the gateway is not scraped rather than finding nothing', async () => {
    const prometheus = fakePrometheus({ metricNames: ['up'] });
    const context: ToolContext = { prometheus, kube: undefined, now: () => NOW, toolset: spendToolset, signals };
    const result = await llmClientGrowth({ team: 'search', alert_start: ALERT }, context);
    expect(result.status).toBe('no_data');
    expect(result.missing?.metrics).toEqual(['litellm_proxy_total_requests_metric_total']);
    expect(result.missing?.fix).toMatch(/callbacks/);
  });

  it('finds nothing for a team the gateway does not serve, without guessing', async () => {
    const { context } = gateway('current');
    const result = await llmClientGrowth({ team: 'storefront', alert_start: ALERT }, context);
    expect(result.status).toBe('no_data');
    expect(result.data).toBeNull();
    expect(result.missing).toBeUndefined();
  });
});
