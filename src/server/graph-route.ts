import type { Hono } from 'hono';
import { HolmesError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { GraphCache } from '../graphs/create-graph-cache.js';
import { resultGraphs } from '../graphs/result-graphs.js';
import type { InvestigationStore } from '../ledger/investigation-types.js';

export interface GraphRouteOptions {
  store: InvestigationStore;
  /** Absent when no Prometheus is configured: the route then says so. */
  graphs: GraphCache | undefined;
  logger: Logger;
}

// Prometheus did not answer or refused the query: the graph's data, not Holmes, is what failed.
const UPSTREAM = new Set(['UPSTREAM_UNAVAILABLE', 'TIMEOUT', 'TOOL_PARAMS_INVALID']);

/**
 * `GET /api/v1/investigations/ID/graphs/N.png` (N from 1): the Nth graph of a finished
 * investigation, rendered on demand from Prometheus (read-only) and kept in a small cache.
 * `?theme=dark` draws it for a dark background. Mounted under /api, so behind its auth.
 */
export function registerGraphRoute(app: Hono, options: GraphRouteOptions): void {
  app.get('/api/v1/investigations/:id/graphs/:file{[0-9]{1,3}\\.png}', async (context) => {
    const id = context.req.param('id');
    const n = Number.parseInt(context.req.param('file'), 10);
    const theme = context.req.query('theme') === 'dark' ? 'dark' : 'light';
    const found = await options.store.get(id);
    if (!found) return context.json({ error: 'not_found', message: `No investigation ${id}.` }, 404);
    if (!found.result)
      return context.json(
        {
          error: 'not_found',
          message: `Investigation ${id} is ${found.state}: it has no result yet, so no graphs.`,
        },
        404,
      );
    const specs = resultGraphs(found.result);
    const spec = specs[n - 1];
    if (spec === undefined)
      return context.json(
        {
          error: 'not_found',
          message: `Investigation ${id} has ${specs.length} graph${specs.length === 1 ? '' : 's'}; there is no graph ${n} (they are numbered from 1).`,
        },
        404,
      );
    if (!options.graphs)
      return context.json(
        {
          error: 'graph_unavailable',
          message: 'No Prometheus is configured, so graphs cannot be drawn. Set prometheus.url.',
        },
        503,
      );
    let png: Buffer;
    try {
      png = await options.graphs.png(`${found.id}/${n}/${theme}`, spec, { theme });
    } catch (error) {
      const code = HolmesError.isInstance(error) ? error.code : 'INTERNAL';
      options.logger.warn({ investigation: id, graph: n, code, error: (error as Error).message }, 'graph not drawn');
      const message = HolmesError.isInstance(error) ? error.message : 'Internal error while drawing the graph.';
      return UPSTREAM.has(code)
        ? context.json({ error: 'graph_data_unavailable', message: `Graph ${n} could not be drawn: ${message}` }, 502)
        : context.json({ error: 'graph_render_failed', message: `Graph ${n} could not be drawn: ${message}` }, 500);
    }
    return context.body(new Uint8Array(png), 200, {
      'Content-Type': 'image/png',
      // The spec of a finished investigation does not change; only who may see it does.
      'Cache-Control': 'private, max-age=3600',
      'Content-Length': String(png.length),
    });
  });
}
