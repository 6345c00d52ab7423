import { HolmesError } from '../core/errors.js';
import { rememberSecret } from '../core/redact-secrets.js';
import type { TelemetryStatsRecorder } from './telemetry-stats.js';

// Plain fetch rather than `prometheus-query`: that library parses `+Inf` to NaN, turns
// timestamps into Dates, hides the raw body and the exact URL, times out through axios rather
// than AbortSignal, and exposes admin endpoints (delete_series, snapshot) we must never reach.

/** The only Prometheus endpoints Holmes may call; every one of them reads. */
const READ_ENDPOINTS: ReadonlySet<string> = new Set([
  'query',
  'query_range',
  'series',
  'labels',
  'metadata',
  'rules',
  'alerts',
  'status/buildinfo',
]);
const LABEL_VALUES_ENDPOINT = /^label\/[A-Za-z_][A-Za-z0-9_]*\/values$/;
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'POST']);
// Prometheus reads these as form-encoded POST too; used when a query string would be too long for proxies.
const POST_ENDPOINTS: ReadonlySet<string> = new Set(['query', 'query_range', 'series', 'labels']);
const MAX_GET_QUERY_LENGTH = 4096;
const QUERY_ERRORS: ReadonlySet<string> = new Set(['bad_data', 'execution']);

export type QueryParams = Array<[name: string, value: string]>;

export interface PrometheusRequestOptions {
  url: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  stats: TelemetryStatsRecorder;
}

export interface PrometheusAnswer {
  data: unknown;
  request: string;
  raw: string;
  warnings: string[];
}

/** Sends one read to `/api/v1/<endpoint>`; the single place where Prometheus is reached. */
export type PrometheusRequest = (method: string, endpoint: string, params?: QueryParams) => Promise<PrometheusAnswer>;

interface PrometheusBody {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/**
 * The Prometheus address as Holmes shows it, and the headers it sends. Credentials written into
 * the URL (`http://user:pass@host`) become basic auth — fetch would otherwise drop them — and
 * never appear in a message, a result or a log; the password is remembered for redaction.
 */
export function prometheusEndpoint(
  url: string,
  headers: Record<string, string> = {},
): { url: string; headers: Record<string, string> } {
  const base = parseBaseUrl(url);
  if (!base.username && !base.password) return { url, headers };
  const username = decodeURIComponent(base.username);
  const password = decodeURIComponent(base.password);
  rememberSecret(password);
  base.username = '';
  base.password = '';
  const shown = base.href.replace(/\/$/, '');
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    throw new HolmesError(
      'CONFIG_INVALID',
      `The Prometheus URL ${shown} carries a user and password, and an Authorization header (prometheus.bearerToken or prometheus.headers) is set too.`,
      {
        fix: 'Keep one: remove the user:password@ part of prometheus.url, or the bearer token / Authorization header.',
      },
    );
  }
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  return { url: shown, headers: { ...headers, Authorization: `Basic ${basic}` } };
}

export function createPrometheusRequest(options: PrometheusRequestOptions): PrometheusRequest {
  const base = parseBaseUrl(options.url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const { timeoutMs, stats } = options;

  return async (method, endpoint, params = []) => {
    const search = new URLSearchParams(params).toString();
    const path = `${basePath}/api/v1/${endpoint}`;
    const request = search ? `${path}?${search}` : path;
    if (!READ_METHODS.has(method) || !(READ_ENDPOINTS.has(endpoint) || LABEL_VALUES_ENDPOINT.test(endpoint))) {
      stats.record({ target: 'prometheus', method, request, outcome: 'refused', durationMs: 0 });
      throw new HolmesError('READ_ONLY_VIOLATION', `Refused ${method} ${path}: Holmes only reads Prometheus.`, {
        fix: 'Use GET or POST on /api/v1/query, query_range, series, labels, label/<name>/values, metadata, rules, alerts or status/buildinfo; Holmes never calls write or admin endpoints.',
        details: { method, endpoint },
      });
    }

    const usePost = method === 'POST' || (search.length > MAX_GET_QUERY_LENGTH && POST_ENDPOINTS.has(endpoint));
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await fetch(new URL(usePost ? path : request, base.origin), {
        method: usePost ? 'POST' : 'GET',
        headers: {
          ...options.headers,
          Accept: 'application/json',
          ...(usePost ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(usePost ? { body: search } : {}),
        // A redirect could point anywhere (even at an admin endpoint); refuse to follow it.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      const raw = await response.text();
      const body = parseBody(raw);
      if (response.ok && body?.status === 'success') {
        stats.record({
          target: 'prometheus',
          method: usePost ? 'POST' : 'GET',
          request,
          outcome: 'success',
          status,
          durationMs: performance.now() - started,
        });
        return { data: body.data ?? null, request, raw, warnings: body.warnings ?? [] };
      }
      throw answerError(options.url, request, response, body);
    } catch (error) {
      stats.record({
        target: 'prometheus',
        method: usePost ? 'POST' : 'GET',
        request,
        outcome: 'error',
        ...(status === undefined ? {} : { status }),
        durationMs: performance.now() - started,
      });
      throw HolmesError.isInstance(error) ? error : connectionError(options.url, request, timeoutMs, error);
    }
  };
}

function parseBaseUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new HolmesError('CONFIG_INVALID', `Prometheus URL '${url}' is not an http(s) URL.`, {
      fix: 'Set the Prometheus URL to its HTTP address, e.g. http://prometheus.monitoring:9090.',
    });
  }
  return parsed;
}

function parseBody(raw: string): PrometheusBody | undefined {
  try {
    const body: unknown = JSON.parse(raw);
    return typeof body === 'object' && body !== null ? (body as PrometheusBody) : undefined;
  } catch {
    return undefined;
  }
}

function answerError(url: string, request: string, response: Response, body: PrometheusBody | undefined): HolmesError {
  const status = response.status;
  const details = { url, request, status, errorType: body?.errorType };
  if (body?.status === 'error' && body.errorType !== undefined && QUERY_ERRORS.has(body.errorType)) {
    return new HolmesError('TOOL_PARAMS_INVALID', `Prometheus rejected ${request}: ${body.error ?? body.errorType}`, {
      fix: 'Correct the PromQL (check metric and label names with the series and label tools) or narrow the query.',
      details,
    });
  }
  if (status >= 300 && status < 400) {
    return new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `Prometheus at ${url} redirected ${request} (HTTP ${status}) to ${response.headers.get('location') ?? 'an unknown location'}.`,
      {
        fix: 'Set the Prometheus URL to the address it redirects to; Holmes does not follow redirects.',
        details,
      },
    );
  }
  const reason = body?.error ?? (body === undefined ? 'the answer is not Prometheus API JSON' : 'unexpected answer');
  const retryable = status >= 500 || status === 429;
  return new HolmesError(
    'UPSTREAM_UNAVAILABLE',
    `Prometheus at ${url} failed ${request} with HTTP ${status}: ${reason}`,
    {
      fix: retryable
        ? 'Prometheus is overloaded or failing; retry shortly, narrow the query, or check its logs.'
        : 'Check the Prometheus URL and any auth headers (Holmes expects the Prometheus HTTP API under /api/v1).',
      isRetryable: retryable,
      details,
    },
  );
}

function connectionError(url: string, request: string, timeoutMs: number, error: unknown): HolmesError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `Prometheus at ${url} did not answer ${request} within ${timeoutMs} ms.`,
      {
        cause: error,
        fix: 'Check that Prometheus is up and reachable from Holmes; narrow the query or raise the Prometheus timeout.',
        isRetryable: true,
        details: { url, request, reason: 'timeout', timeoutMs },
      },
    );
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new HolmesError('UPSTREAM_UNAVAILABLE', `Cannot reach Prometheus at ${url} (${reason}).`, {
    cause: error,
    fix: `Check that Prometheus is running and that ${url} is the right address and reachable from Holmes.`,
    isRetryable: true,
    details: { url, request, reason },
  });
}
