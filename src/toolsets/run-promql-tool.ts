import { parseDuration } from '../core/duration.js';
import { HolmesError } from '../core/errors.js';
import { joinRows, type JoinColumn } from './join-rows.js';
import { renderTemplate } from './render-template.js';
import { shapePromqlResult, type ShapedSeries } from './shape-promql-result.js';
import type { ToolContext, ToolOutput } from './tool-context.js';
import type { ParameterSpec, PromqlImplementation } from './toolset-schema.js';

/** Points per range query: enough for a trend and a change point, few enough to stay cheap. */
const RANGE_POINTS = 120;

function durationParam(template: string, params: Record<string, unknown>, what: string): number {
  const text = renderTemplate(template, params).trim();
  try {
    return parseDuration(text);
  } catch {
    throw new HolmesError('TOOL_PARAMS_INVALID', `${what} '${text}' is not a duration.`, {
      fix: 'Use a Prometheus duration such as 15m, 1h or 6h.',
    });
  }
}

/** Runs a templated PromQL tool: every query of it, each shaped into lines and typed series. */
export async function runPromqlTool(
  implementation: PromqlImplementation,
  params: Record<string, unknown>,
  context: ToolContext,
  specs: Record<string, ParameterSpec> = {},
): Promise<ToolOutput> {
  const prometheus = context.prometheus;
  if (!prometheus) {
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', {
      fix: 'Set prometheus.url in the config or HOLMES_PROMETHEUS_URL.',
    });
  }
  const now = context.now();
  const lookbackMs = durationParam(implementation.lookback, params, 'lookback');
  const stepMs = implementation.step
    ? durationParam(implementation.step, params, 'step')
    : Math.max(15_000, Math.round(lookbackMs / RANGE_POINTS / 1000) * 1000);
  // A `top_k` parameter, where a tool declares one, overrides the toolset file's default.
  const topKParam = typeof params.top_k === 'number' ? params.top_k : undefined;
  const join =
    implementation.type === 'instant' && implementation.join
      ? implementation.join
          .flatMap((template) => renderTemplate(template, params).split(','))
          .map((name) => name.trim())
          .filter(Boolean)
      : [];
  const results = await Promise.all(
    implementation.queries.map(async (query) => {
      const promql = renderTemplate(query.query, params, specs).trim();
      const result =
        implementation.type === 'instant'
          ? await prometheus.instantQuery(promql, now)
          : await prometheus.rangeQuery(promql, new Date(now.getTime() - lookbackMs), now, stepMs / 1000);
      // Joined rows are limited as rows, not per query: every series is shaped.
      const topK = join.length > 0 ? Number.MAX_SAFE_INTEGER : (topKParam ?? query.output.topK);
      const decoder = query.output.decode ? context.toolset.decoders[query.output.decode] : undefined;
      return {
        query,
        promql,
        result,
        shaped: shapePromqlResult(result, {
          output: { ...query.output, topK },
          aliases: context.toolset.labelAliases,
          ...(decoder ? { decoder } : {}),
        }),
      };
    }),
  );
  const data: Record<string, ShapedSeries[]> = {};
  const sections: string[] = [];
  const omissions: string[] = [];
  const empty: string[] = [];
  const scope = implementation.type === 'range' ? ` over ${renderTemplate(implementation.lookback, params)}` : '';
  const joined: JoinColumn[] = [];
  for (const { query, shaped } of results) {
    data[query.name] = shaped.series;
    const title = query.title ?? query.name;
    if (shaped.total === 0) {
      empty.push(title);
      continue;
    }
    if (join.length > 0) {
      joined.push({ title, output: query.output, series: shaped.series });
      continue;
    }
    // One series needs no header of its own: it shares the title's line.
    if (shaped.total === 1) {
      sections.push(`${title}${scope}: ${shaped.lines[0]}`);
      continue;
    }
    const more = shaped.omitted > 0 ? `\n  … ${shaped.omitted} more series not shown` : '';
    if (shaped.omitted > 0) omissions.push(`${shaped.omitted} of ${shaped.total} series of ${query.name}`);
    sections.push(`${title}${scope} (${shaped.total} series):\n  ${shaped.lines.join('\n  ')}${more}`);
  }
  if (joined.length > 0) {
    const table = joinRows(joined, join, topKParam ?? implementation.queries[0]!.output.topK);
    sections.push(`${table.lines.join('\n')}${table.omitted > 0 ? `\n  … ${table.omitted} more rows not shown` : ''}`);
    if (table.omitted > 0) omissions.push(`${table.omitted} of ${table.total} ${join.join('/')} rows`);
  }
  // Queries that found nothing are said once, together: what is absent is a fact too.
  if (empty.length > 0)
    sections.push(empty.length === 1 ? `${empty[0]}${scope}: no series` : `No series${scope} for: ${empty.join('; ')}`);
  return {
    status: empty.length === results.length ? 'no_data' : 'success',
    text: sections.join('\n'),
    data,
    requests: results.map(({ result }) => result.request),
    raw: results.map(({ result }) => result.raw),
    ...(omissions.length > 0
      ? {
          omitted: {
            what: omissions.join('; '),
            hint: 'Narrow with a namespace/pod/node parameter, or raise top_k where the tool has one.',
          },
        }
      : {}),
  };
}
