import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import type { RenderGraphOptions } from './render-graph-svg.js';

export interface GraphCacheOptions {
  prometheus: PrometheusClient;
  /** PNGs kept; default 32 (about 1.5 MB). */
  maxEntries?: number;
}

/**
 * Renders graphs on demand and keeps the last few PNGs: a finished investigation's graph spec
 * does not change, so a chat client or a browser asking twice costs one render. Concurrent
 * requests for the same graph share one render; a failure is not kept.
 */
export function createGraphCache(options: GraphCacheOptions) {
  const maxEntries = options.maxEntries ?? 32;
  const entries = new Map<string, Promise<Buffer>>();
  return {
    /** `key` names the graph and everything in `render` that changes the picture. */
    png(key: string, spec: unknown, render: RenderGraphOptions = {}): Promise<Buffer> {
      const cached = entries.get(key);
      if (cached) {
        // Most recently used last: Map keeps insertion order.
        entries.delete(key);
        entries.set(key, cached);
        return cached;
      }
      // The renderer (ECharts, resvg) loads on the first graph asked for, not when the server starts.
      const rendering = import('./render-graph.js')
        .then(({ renderGraph }) => renderGraph(spec, options.prometheus, render))
        .then((graph) => graph.png);
      entries.set(key, rendering);
      rendering.catch(() => entries.delete(key));
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return rendering;
    },
    size: () => entries.size,
  };
}

export type GraphCache = ReturnType<typeof createGraphCache>;
