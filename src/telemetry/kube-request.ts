import { HttpMethod } from '@kubernetes/client-node';
import { HolmesError } from '../core/errors.js';
import type { KubeConfiguration } from './kube-configuration.js';
import type { TelemetryStatsRecorder } from './telemetry-stats.js';

export interface KubeAnswer {
  /** 2xx or 404; every other status has already become an error. */
  status: number;
  raw: string;
  request: string;
}

/** Sends one GET through the guarded client-node configuration; the single place Kubernetes is reached. */
export type KubeRequest = (path: string, params?: Array<[string, string]>, accept?: string) => Promise<KubeAnswer>;

export function createKubeRequest(kube: KubeConfiguration, stats: TelemetryStatsRecorder): KubeRequest {
  const { configuration, server, timeoutMs } = kube;

  return async (path, params = [], accept = 'application/json') => {
    const context = configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
    for (const [name, value] of params) context.setQueryParam(name, value);
    context.setHeaderParam('Accept', accept);
    const url = new URL(context.getUrl());
    const request = `${url.pathname}${url.search}`;
    const started = performance.now();
    let status: number | undefined;
    try {
      await configuration.authMethods.default?.applySecurityAuthentication(context);
      context.setSignal(AbortSignal.timeout(timeoutMs));
      // The same path generated client-node APIs take: middleware `pre` hooks, then the HTTP library.
      let prepared = context;
      for (const middleware of configuration.middleware) prepared = await middleware.pre(prepared).toPromise();
      const response = await configuration.httpApi.send(prepared).toPromise();
      status = response.httpStatusCode;
      const raw = await response.body.text();
      if ((status >= 200 && status < 300) || status === 404) {
        stats.record({
          target: 'kubernetes',
          method: 'GET',
          request,
          outcome: 'success',
          status,
          durationMs: performance.now() - started,
        });
        return { status, raw, request };
      }
      throw statusError(server, request, status, raw);
    } catch (error) {
      if (HolmesError.isInstance(error) && error.code === 'READ_ONLY_VIOLATION') throw error; // counted as refused by the guard
      stats.record({
        target: 'kubernetes',
        method: 'GET',
        request,
        outcome: 'error',
        ...(status === undefined ? {} : { status }),
        durationMs: performance.now() - started,
      });
      throw HolmesError.isInstance(error) ? error : connectionError(server, request, timeoutMs, error);
    }
  };
}

/** The body of an answer as a JSON object; anything else means the server is not a Kubernetes API. */
export function jsonObjectOf(answer: Pick<KubeAnswer, 'raw' | 'request'>): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(answer.raw);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new HolmesError(
    'UPSTREAM_UNAVAILABLE',
    `The Kubernetes API answered ${answer.request} with something that is not a JSON object.`,
    {
      fix: 'Check that the server setting points at a Kubernetes API server.',
      details: { request: answer.request },
    },
  );
}

/** The `message` of a Kubernetes Status body, or the body itself when it is not one. */
export function statusMessage(raw: string): string {
  try {
    const body = JSON.parse(raw) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the text itself
  }
  return raw.trim().slice(0, 300) || 'no message';
}

function statusError(server: string, request: string, status: number, raw: string): HolmesError {
  const message = statusMessage(raw);
  const details = { server, request, status };
  if (status === 401 || status === 403) {
    return new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `Kubernetes API at ${server} refused ${request} (HTTP ${status}): ${message}`,
      {
        fix: "Check the kubeconfig credentials, or grant Holmes's identity get/list on this resource (read-only RBAC).",
        details,
      },
    );
  }
  if (status === 429 || status >= 500) {
    return new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `Kubernetes API at ${server} failed ${request} (HTTP ${status}): ${message}`,
      {
        fix: 'The API server is overloaded or failing; retry shortly.',
        isRetryable: true,
        details,
      },
    );
  }
  return new HolmesError('TOOL_PARAMS_INVALID', `Kubernetes API rejected ${request} (HTTP ${status}): ${message}`, {
    fix: 'Correct the namespace, name, container or selector and try again.',
    details,
  });
}

function connectionError(server: string, request: string, timeoutMs: number, error: unknown): HolmesError {
  const failure = error as { name?: string; code?: string; message?: string };
  if (failure.name === 'AbortError' || failure.name === 'TimeoutError') {
    return new HolmesError(
      'UPSTREAM_UNAVAILABLE',
      `Kubernetes API at ${server} did not answer ${request} within ${timeoutMs} ms.`,
      {
        cause: error,
        fix: 'Check that the API server is reachable from Holmes, narrow the request (namespace, selector, limit), or raise the Kubernetes timeout.',
        isRetryable: true,
        details: { server, request, reason: 'timeout', timeoutMs },
      },
    );
  }
  const reason = failure.code ?? failure.message ?? String(error);
  return new HolmesError('UPSTREAM_UNAVAILABLE', `Cannot reach the Kubernetes API at ${server} (${reason}).`, {
    cause: error,
    fix: `Check that the API server at ${server} is running and reachable, and that the kubeconfig or server setting points at it.`,
    isRetryable: true,
    details: { server, request, reason },
  });
}
