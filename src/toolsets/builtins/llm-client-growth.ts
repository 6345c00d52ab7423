import { alertStartOf } from '../diagnostics/kube-reads.js';
import type { GraphSpec } from '../../core/graph-spec.js';
import type { RangeSeries } from '../../telemetry/prometheus-types.js';
import { formatValue } from '../format-value.js';
import type { Point } from '../signals/analyse-change.js';
import {
  measureClientGrowth,
  type ClientGrowth,
  type ClientGrowthData,
  type ClientMeasure,
} from '../signals/measure-client-growth.js';
import { toolGraph, windowOf, type GraphWindow } from '../signals/tool-graph.js';
import type { BuiltinTool, ToolContext } from '../tool-context.js';
import { readSignal, renderSignalQuery, teamScope } from '../signals/signal-query.js';
import { settled } from './signal-change.js';

const MINUTE = 60_000;
/** The onset is searched up to 2 h before the alert, and the baseline is the hour before it. */
const FROM_BEFORE_ALERT_MS = 180 * MINUTE;
const MAX_POINTS = 480;

/** The signals this tool reads, by role; their dialects (LiteLLM's old and new names) live in the toolset. */
const MEASURES = {
  requests: 'client_requests',
  tokens: 'client_tokens',
  prompt: 'client_prompt_tokens',
  spend: 'client_spend',
} as const;

const label = (labels: Record<string, string>, ...names: string[]) =>
  names.map((name) => labels[name]).find((value) => value !== undefined && value !== '' && value !== 'None');

/** A client is its API key (alias, else hash), and its end user where the gateway tracks them. */
function clientOf(labels: Record<string, string>): string {
  return (
    [label(labels, 'api_key_alias', 'hashed_api_key'), label(labels, 'end_user')].filter(Boolean).join('/') ||
    '(no key)'
  );
}

const points = (series: RangeSeries): Point[] =>
  settled(series)
    .values.filter(([, value]) => Number.isFinite(value))
    .map(([seconds, value]) => ({ t: seconds * 1000, v: value }));

interface Read {
  measure: ClientMeasure | undefined;
  /** The per-client query that answered (rendered), and the labels of its first series. */
  query?: string;
  labels?: Record<string, string>;
  requests: string[];
  raw: string[];
  /** None of the signal's dialects is collected here. */
  missing?: boolean;
  /** Each client's key hash, which LiteLLM's key endpoints take in place of the key itself. */
  keys?: Map<string, string>;
}

/** One measure for the team's clients (first dialect with series wins) and for every other team, summed. */
async function readMeasure(
  signal: string,
  params: Record<string, unknown>,
  context: ToolContext,
  window: { from: Date; to: Date; step: number },
): Promise<Read> {
  // Without a team or a key, every client of the gateway is ours (and there are no others).
  const scoped = typeof params.team === 'string' || typeof params.api_key === 'string';
  const { prometheus, profile, variants, collected } = await readSignal(signal, params, context, {
    anyEntities: !scoped,
  });
  if (!collected) return { measure: undefined, requests: [], raw: [], missing: true };
  const everyTeam = scoped ? {} : { team_scope: 'team=~".*"' };
  const requests: string[] = [];
  const raw: string[] = [];
  for (const variant of variants) {
    const query = renderSignalQuery(variant, params, profile, everyTeam);
    const result = await prometheus.rangeQuery(query, window.from, window.to, window.step);
    requests.push(result.request);
    raw.push(result.raw);
    if (result.resultType !== 'matrix' || result.series.length === 0) continue;
    const ours = new Map<string, Point[]>();
    const keys = new Map<string, string>();
    for (const series of result.series) {
      const subject = clientOf(series.labels);
      ours.set(subject, [...(ours.get(subject) ?? []), ...points(series)]);
      const hash = label(series.labels, 'hashed_api_key');
      if (hash) keys.set(subject, hash);
    }
    const answered = { query, labels: result.series[0]!.labels, keys };
    if (!scoped) return { measure: { ours, others: [] }, requests, raw, ...answered };
    const othersQuery = `sum(${renderSignalQuery(variant, params, profile, { team_scope: teamScope(params, profile, true) })})`;
    const others = await prometheus.rangeQuery(othersQuery, window.from, window.to, window.step);
    requests.push(others.request);
    raw.push(others.raw);
    const othersPoints = others.resultType === 'matrix' && others.series[0] ? points(others.series[0]) : [];
    return { measure: { ours, others: othersPoints }, requests, raw, ...answered };
  }
  return { measure: undefined, requests, raw };
}

const figure = (value: number | null, unit?: string) => (value === null ? '—' : formatValue(value, unit));

function clientLine(client: ClientGrowth, priced: boolean): string {
  return (
    `  ${client.subject}: requests ${figure(client.requestsBefore)} → ${figure(client.requestsAfter, '/min')}` +
    `, tokens per request ${figure(client.sizeBefore)} → ${figure(client.sizeAfter)}` +
    (priced ? `, spend ${figure(client.spendBefore, 'usd')} → ${figure(client.spendAfter, 'usd')}/h` : '') +
    (client.share === null ? '' : `; ${figure(client.share, 'ratio')} of the team's increase`)
  );
}

function describe(data: ClientGrowthData, endUsers: boolean, topK: number, scoped: boolean): string[] {
  const unit = data.measure === 'spend' ? 'usd/h' : data.measure === 'tokens' ? 'tokens/min' : '/min';
  const group = (who: string, figures: ClientGrowthData['ours']) =>
    `${who}: ${data.measure} ${figure(figures.before, unit)} → ${figure(figures.after, unit)}` +
    (figures.ratio === null ? '' : ` (×${figure(figures.ratio)})`) +
    (figures.requestsRatio === null ? '' : `, requests ×${figure(figures.requestsRatio)}`) +
    (figures.sizeRatio === null ? '' : `, tokens per request ×${figure(figures.sizeRatio)}`) +
    '.';
  const since = data.onset ? `since the change at ${data.onset.slice(11, 16)}Z` : 'since the alert (no clear change)';
  return [
    `Gateway clients${scoped ? ' of the team' : ' (every team: the alert names none)'} by ${data.measure} growth, ${since}, against the hour before.`,
    group(scoped ? 'Team' : 'Gateway', data.ours),
    ...(data.others.count > 0 ? [group('Other teams', data.others)] : []),
    ...(endUsers
      ? []
      : ['End-user tracking is off at the gateway: clients are API keys, users sharing a key are not told apart.']),
    ...data.clients.slice(0, topK).map((client) => clientLine(client, data.measure === 'spend')),
  ];
}

/** How the team's total of the deciding measure is drawn on the right axis. */
const TEAM_TOTAL = {
  spend: { scale: '', unit: 'usd_per_hour', legend: 'team spend' },
  tokens: { scale: ' / 60', unit: 'tokens_per_second', legend: 'team tokens' },
} as const;

export interface GrowthGraphInput extends GraphWindow {
  data: ClientGrowthData;
  requests: Read;
  /** The read of the measure that decided (spend, tokens or requests). */
  deciding: Read;
  team: string | undefined;
  /** The gateway tracks end users: a client is its key and its end user. */
  endUsers: boolean;
}

/** Each client's request rate against the team's spend (or tokens), from the driver's own step. */
export function growthGraph(input: GrowthGraphInput): GraphSpec | undefined {
  const { data, requests, deciding } = input;
  if (!requests.query) return undefined;
  // Named as clientOf names them: the key's alias (else its hash), and the end user where tracked.
  const key = ['api_key_alias', 'hashed_api_key'].find((name) => label(requests.labels ?? {}, name) !== undefined);
  const legend = key ? [key, ...(input.endUsers ? ['end_user'] : [])] : 'requests';
  const total = data.measure === 'requests' || !deciding.query ? undefined : TEAM_TOTAL[data.measure];
  return toolGraph({
    ...windowOf(input),
    title: `Requests per client${total ? ` against the ${total.legend}` : ''}${input.team ? ` (team ${input.team})` : ''}`,
    unit: 'requests_per_second',
    rightUnit: total?.unit,
    onset: data.driver?.requestsOnset ?? data.onset,
    series: [
      // The signals count per minute; the axis reads per second.
      { query: `(${requests.query}) / 60`, legend, role: 'suspect' },
      ...(total
        ? [
            {
              query: `sum(${deciding.query})${total.scale}`,
              legend: total.legend,
              axis: 'right' as const,
              role: 'victim' as const,
            },
          ]
        : []),
    ],
  });
}

/**
 * `llm_client_growth`: per gateway client (LiteLLM API key, and end user where tracked) of the
 * alert's team, how its requests, tokens per request and spend changed from the team's onset,
 * its share of the team's increase, and the other teams beside it.
 */
export const llmClientGrowth: BuiltinTool = async (params, context) => {
  const now = context.now();
  const alertStartMs = alertStartOf(params, now);
  const fromMs = alertStartMs - FROM_BEFORE_ALERT_MS;
  const step = Math.max(30, Math.ceil((now.getTime() - fromMs) / MAX_POINTS / 15_000) * 15);
  const window = { from: new Date(fromMs), to: now, step };
  const reads: Record<keyof typeof MEASURES, Read> = {
    requests: await readMeasure(MEASURES.requests, params, context, window),
    tokens: await readMeasure(MEASURES.tokens, params, context, window),
    prompt: await readMeasure(MEASURES.prompt, params, context, window),
    spend: await readMeasure(MEASURES.spend, params, context, window),
  };
  const { profile } = await readSignal(MEASURES.requests, params, context);
  const requests = Object.values(reads).flatMap((read) => read.requests);
  const raw = Object.values(reads).flatMap((read) => read.raw);
  if (reads.requests.missing) {
    return {
      status: 'no_data',
      text: 'The LLM gateway does not report requests per client here (no litellm_proxy_total_requests_metric_total).',
      data: null,
      missing: {
        metrics: ['litellm_proxy_total_requests_metric_total'],
        fix: 'Enable LiteLLM\'s Prometheus callback (litellm_settings.callbacks: ["prometheus"]) and scrape the proxy\'s /metrics.',
      },
      requests,
      raw,
    };
  }
  if (!reads.requests.measure) {
    return {
      status: 'no_data',
      text: 'No gateway requests for this team or API key.',
      data: null,
      requests,
      raw,
    };
  }
  const data = measureClientGrowth({
    requests: reads.requests.measure,
    tokens: reads.tokens.measure,
    prompt: reads.prompt.measure,
    spend: reads.spend.measure,
    alertStartMs,
    nowMs: now.getTime(),
  });
  const topK = typeof params.top_k === 'number' ? params.top_k : 8;
  const graph = growthGraph({
    data,
    requests: reads.requests,
    endUsers: profile.litellm.endUser,
    deciding: data.measure === 'spend' ? reads.spend : data.measure === 'tokens' ? reads.tokens : reads.requests,
    team: typeof params.team === 'string' ? params.team : undefined,
    startMs: fromMs,
    endMs: now.getTime(),
    stepSeconds: step,
    alertStartMs,
  });
  return {
    status: 'success',
    text: describe(
      data,
      profile.litellm.endUser,
      topK,
      typeof params.team === 'string' || typeof params.api_key === 'string',
    ).join('\n'),
    data: {
      ...data,
      endUserTracked: profile.litellm.endUser,
      clients: data.clients.slice(0, topK),
      driverKey: (data.driver && reads.requests.keys?.get(data.driver.subject)) ?? null,
    },
    requests,
    raw,
    ...(graph ? { graph } : {}),
    ...(data.clients.length > topK
      ? { omitted: { what: `${data.clients.length - topK} more clients`, hint: 'Raise top_k to see them.' } }
      : {}),
  };
};
