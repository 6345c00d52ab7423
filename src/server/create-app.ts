import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { HolmesError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { GraphCache } from '../graphs/create-graph-cache.js';
import { redactSecretsIn } from '../core/redact-secrets.js';
import { zodIssues } from '../core/zod-issues.js';
import { fallbackGroupKey } from '../integrations/alertmanager/fallback-group-key.js';
import { parseAlertInputInTurns, parseWebhookInTurns } from '../integrations/alertmanager/parse-alert-input.js';
import type { InvestigationStore } from '../ledger/investigation-types.js';
import type { SourceStatus } from '../toolsets/check-prerequisites.js';
import { createAuth, type AuthOptions } from './auth.js';
import { createBatchAccept } from './batch-accept.js';
import { registerGraphRoute } from './graph-route.js';
import type { ServerMetrics } from './server-metrics.js';

export interface AppOptions {
  store: InvestigationStore;
  metrics: ServerMetrics;
  logger: Logger;
  auth: AuthOptions;
  bodyLimitBytes: number;
  maxQueue: number;
  maxAlertsPerGroup: number;
  /** Called after new work is queued, to wake the workers. */
  onQueued: () => void;
  /** An investigation was created or its group resolved (deliveries update what they show). */
  onInvestigationChanged?: (id: string) => void | Promise<void>;
  /** Answers a question like `holmes ask`; absent when no model is configured. */
  ask?: (question: string) => Promise<unknown>;
  /** MCP over Streamable HTTP, served at /mcp behind the same authentication; absent when turned off. */
  mcp?: ((request: Request) => Promise<Response>) | undefined;
  isReady: () => boolean;
  /** Throws when the store cannot answer: alerts could not be persisted, so the replica is not ready. */
  pingStore?: () => Promise<void>;
  /** Draws GET /api/v1/investigations/ID/graphs/N.png; absent when no Prometheus is configured. */
  graphs?: GraphCache;
  /** The telemetry sources as last checked (never waits for a check); none when not given. */
  sources?: () => SourceStatus[];
  /** GET /api/v1/doctor: what Holmes can and cannot see here (as `holmes doctor --json`). */
  doctor?: () => Promise<unknown>;
}

const RETRY_AFTER_SECONDS = 30;
/** A store slower than this to answer a trivial query cannot take alerts either. */
const STORE_PING_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Fatal: a body that is not UTF-8 is refused, not silently repaired with U+FFFD into label values.
const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readJson(context: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = (context.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return {
      ok: false,
      response: context.json({ error: 'unsupported_media_type', message: 'Send Content-Type: application/json.' }, 415),
    };
  }
  let text: string;
  try {
    text = utf8.decode(await context.req.arrayBuffer());
  } catch {
    return {
      ok: false,
      response: context.json({ error: 'invalid_encoding', message: 'The body is not valid UTF-8.' }, 400),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      response: context.json({ error: 'invalid_json', message: 'The body is not valid JSON.' }, 400),
    };
  }
}

const listQuery = z.strictObject({
  status: z.string().max(32).optional(),
  alertname: z.string().max(256).optional(),
  team: z.string().max(256).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The HTTP API: Alertmanager's webhook, investigations, ask, metrics and health. */
export function createApp(options: AppOptions): Hono {
  const { store, metrics, logger } = options;
  const app = new Hono();
  const auth = createAuth(options.auth);
  const accept = createBatchAccept(store);

  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  const sources = () => {
    const current = options.sources?.() ?? [];
    for (const source of current)
      if (source.status === 'ok' || source.status === 'failing')
        metrics.sourceUp.set({ source: source.source }, source.status === 'ok' ? 1 : 0);
    return current;
  };
  // Ready means alerts are accepted and stored; that holds with Prometheus down, so a failing
  // source makes the answer `degraded` (still 200) rather than taking Holmes out of its Service.
  app.get('/readyz', async (context) => {
    if (!options.isReady()) return context.json({ status: 'not ready' }, 503);
    if (options.pingStore) {
      try {
        await withTimeout(options.pingStore(), STORE_PING_MS);
      } catch (error) {
        return context.json({ status: 'not ready', store: 'unreachable', message: (error as Error).message }, 503);
      }
    }
    const current = sources();
    const failing = current.some((source) => source.status === 'failing');
    return context.json({ status: failing ? 'degraded' : 'ready', sources: current });
  });
  // Outside auth, so refused deliveries are counted too: a sender with a wrong token shows up in /metrics.
  app.use('/api/v1/alertmanager', async (context, next) => {
    await next();
    if (context.res.status === 401) metrics.notificationsRejected.inc({ reason: 'unauthorized' });
  });
  app.use('/api/*', auth);
  app.use('/metrics', auth);
  app.use('/mcp', auth);
  if (options.mcp) {
    const mcp = options.mcp;
    app.all('/mcp', (context) => mcp(context.req.raw));
  }
  const tooLarge = (context: Context) => {
    metrics.notificationsRejected.inc({ reason: 'too_large' });
    return context.json(
      {
        error: 'payload_too_large',
        message: `The body is larger than ${options.bodyLimitBytes} bytes (server.bodyLimitBytes).`,
      },
      413,
    );
  };
  const countedLimit = bodyLimit({ maxSize: options.bodyLimitBytes, onError: tooLarge });
  app.use('/api/*', async (context, next) => {
    if (context.req.method === 'GET' || context.req.method === 'HEAD') return next();
    // A declared length (what Alertmanager sends) is checked from the header alone: touching the
    // body here would make @hono/node-server build a full web Request, the costliest part of a
    // webhook. A chunked body is counted as it streams in.
    const length = context.req.header('content-length');
    if (length !== undefined && context.req.header('transfer-encoding') === undefined)
      return Number(length) > options.bodyLimitBytes ? tooLarge(context) : next();
    return countedLimit(context, next);
  });

  app.post('/api/v1/alertmanager', async (context) => {
    const body = await readJson(context);
    if (!body.ok) {
      metrics.notificationsRejected.inc({ reason: 'malformed' });
      return body.response;
    }
    let notification;
    try {
      notification = await parseWebhookInTurns(body.value, { source: 'webhook' });
    } catch (error) {
      if (!HolmesError.isInstance(error)) throw error;
      metrics.notificationsRejected.inc({ reason: 'invalid' });
      return context.json(
        {
          error: 'invalid_body',
          message: error.issues.length > 0 ? 'Not an Alertmanager webhook body (version 4).' : error.message,
          issues: error.issues,
        },
        400,
      );
    }
    const { alerts } = notification;
    const groupKey = notification.groupKey ?? fallbackGroupKey(alerts);
    const outcome = await accept(alerts, {
      groupKey,
      groupStatus: notification.status,
      source: 'webhook',
      maxQueue: options.maxQueue,
      maxAlertsPerGroup: options.maxAlertsPerGroup,
    });
    if (outcome.queueFull) {
      metrics.notificationsRejected.inc({ reason: 'queue_full' });
      context.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return context.json(
        {
          error: 'queue_full',
          message: `The investigation queue is full (server.maxQueue = ${options.maxQueue}); retry later.`,
        },
        503,
      );
    }
    for (const alert of alerts) metrics.alertsReceived.inc({ status: alert.status });
    metrics.alertsDeduplicated.inc(outcome.duplicates);
    if (outcome.created) options.onQueued();
    if (outcome.investigationId && (outcome.created || outcome.resolvedUpdated > 0))
      await options.onInvestigationChanged?.(outcome.investigationId);
    return context.json({
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      investigationId: outcome.investigationId ?? null,
      created: outcome.created,
    });
  });

  app.post('/api/v1/investigations', async (context) => {
    const body = await readJson(context);
    if (!body.ok) return body.response;
    let alerts;
    try {
      alerts = await parseAlertInputInTurns(body.value, { source: 'api' });
    } catch (error) {
      if (HolmesError.isInstance(error))
        return context.json(
          { error: 'invalid_body', message: error.message, issues: error.issues, fix: error.fix },
          400,
        );
      throw error;
    }
    const outcome = await accept(alerts, {
      groupKey: `api:${randomUUID()}`,
      groupStatus: 'firing',
      source: 'api',
      maxQueue: options.maxQueue,
      maxAlertsPerGroup: options.maxAlertsPerGroup,
    });
    if (outcome.queueFull) {
      context.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return context.json({ error: 'queue_full', message: 'The investigation queue is full; retry later.' }, 503);
    }
    if (!outcome.investigationId)
      return context.json(
        {
          error: 'duplicate',
          message: 'These alerts (fingerprint + startsAt) were already received; see GET /api/v1/investigations.',
        },
        409,
      );
    options.onQueued();
    await options.onInvestigationChanged?.(outcome.investigationId);
    return context.json(
      {
        id: outcome.investigationId,
        state: 'queued',
        links: { self: `/api/v1/investigations/${outcome.investigationId}` },
      },
      202,
    );
  });

  app.get('/api/v1/investigations', async (context) => {
    const parsed = listQuery.safeParse(context.req.query());
    if (!parsed.success)
      return context.json({ error: 'invalid_query', message: 'Bad filter.', issues: zodIssues(parsed.error) }, 400);
    const { status, since, ...rest } = parsed.data;
    // Stored times are UTC ISO strings; an offset in `since` would break their string order.
    return context.json({
      investigations: await store.list({
        ...rest,
        ...(status ? { state: status } : {}),
        ...(since ? { since: new Date(since).toISOString() } : {}),
      }),
    });
  });

  app.get('/api/v1/investigations/:id', async (context) => {
    const found = await store.get(context.req.param('id'));
    if (!found)
      return context.json({ error: 'not_found', message: `No investigation ${context.req.param('id')}.` }, 404);
    return context.json(found);
  });

  registerGraphRoute(app, { store, graphs: options.graphs, logger });

  app.post('/api/v1/ask', async (context) => {
    const body = await readJson(context);
    if (!body.ok) return body.response;
    const parsed = z.strictObject({ question: z.string().min(3).max(4000) }).safeParse(body.value);
    if (!parsed.success)
      return context.json(
        { error: 'invalid_body', message: 'Send {"question": "…"}.', issues: zodIssues(parsed.error) },
        400,
      );
    if (!options.ask) {
      return context.json(
        {
          error: 'no_model',
          message:
            'No model is configured, so free-form questions cannot be answered. Add models to the config; meanwhile POST /api/v1/investigations runs the deterministic investigation.',
        },
        503,
      );
    }
    // An answer is returned as it was made: a provider's error text in it may echo a key.
    return context.json(redactSecretsIn((await options.ask(parsed.data.question)) as object));
  });

  app.get('/api/v1/doctor', async (context) => {
    if (!options.doctor) return context.json({ error: 'not_available', message: 'This server runs no doctor.' }, 404);
    return context.json((await options.doctor()) as object);
  });

  app.get('/metrics', async (context) => {
    metrics.queueDepth.set(await store.queueDepth());
    sources();
    return context.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });

  app.notFound((context) =>
    context.json({ error: 'not_found', message: `No route ${context.req.method} ${context.req.path}.` }, 404),
  );
  app.onError((error, context) => {
    // No stack or internals in responses; the log carries them with the reference.
    const reference = randomUUID();
    logger.error({ reference, error: error.message, stack: error.stack }, 'request failed');
    return context.json(
      { error: 'internal', message: 'Internal error; the server log has the details.', reference },
      500,
    );
  });
  return app;
}
