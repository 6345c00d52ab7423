import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { createPrometheusRequest } from '../../src/telemetry/prometheus-request.js';
import { createTelemetryStats } from '../../src/telemetry/telemetry-stats.js';

const URL = 'http://prometheus.test:9090';

function requestFor(url = URL, timeoutMs = 5_000) {
  const stats = createTelemetryStats();
  return { request: createPrometheusRequest({ url, timeoutMs, stats }), stats };
}

async function failure(promise: Promise<unknown>): Promise<HolmesError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!HolmesError.isInstance(error)) throw new Error(`expected a HolmesError, got ${String(error)}`);
  return error;
}

describe('createPrometheusRequest', () => {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('refuses admin and unknown endpoints and non-read methods without sending anything', async () => {
    nock.enableNetConnect('127.0.0.1');
    const received: string[] = [];
    const server = createServer((incoming, response) => {
      received.push(`${incoming.method} ${incoming.url}`);
      response.end('{"status":"success","data":null}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { request, stats } = requestFor(`http://127.0.0.1:${port}`);

    const attempts = [
      request('POST', 'admin/tsdb/delete_series', [['match[]', 'up']]),
      request('POST', 'admin/tsdb/snapshot'),
      request('DELETE', 'query', [['query', 'up']]),
      request('PUT', 'series'),
      request('GET', 'query/../admin/tsdb/clean_tombstones'),
      request('GET', 'targets'),
      request('GET', 'label/a/b/values'),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt);
      expect(error.code).toBe('READ_ONLY_VIOLATION');
      expect(error.fix).toContain('never calls write or admin endpoints');
    }
    await request('GET', 'labels');

    expect(received).toEqual(['GET /api/v1/labels']);
    expect(stats.snapshot()).toEqual({ requests: 1, errors: 0, refused: 7 });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    nock.disableNetConnect();
  });

  it("carries Prometheus's own message as TOOL_PARAMS_INVALID when the PromQL is bad", async () => {
    nock(URL).get('/api/v1/query').query(true).reply(400, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unexpected "}"',
    });
    const { request } = requestFor();

    const error = await failure(request('GET', 'query', [['query', 'sum(}']]));

    expect(error.code).toBe('TOOL_PARAMS_INVALID');
    expect(error.message).toContain('parse error: unexpected "}"');
    expect(error.message).toContain('/api/v1/query?query=sum%28%7D');
    expect(error.isRetryable).toBe(false);
  });

  it('reports a retryable UPSTREAM_UNAVAILABLE naming the URL when Prometheus answers 503', async () => {
    nock(URL).get('/api/v1/labels').reply(503, { status: 'error', errorType: 'unavailable', error: 'TSDB not ready' });
    const { request, stats } = requestFor();

    const error = await failure(request('GET', 'labels'));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain(URL);
    expect(error.message).toContain('TSDB not ready');
    expect(stats.snapshot()).toEqual({ requests: 1, errors: 1, refused: 0 });
  });

  it('reports a non-retryable error with a fix when the URL does not serve the API', async () => {
    nock(URL).get('/api/v1/labels').reply(404, '404 page not found');
    const { request } = requestFor();

    const error = await failure(request('GET', 'labels'));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.isRetryable).toBe(false);
    expect(error.fix).toContain('/api/v1');
  });

  it('does not follow a redirect when Prometheus answers with one', async () => {
    const admin = nock(URL).post('/api/v1/admin/tsdb/delete_series').reply(204);
    nock(URL)
      .get('/api/v1/labels')
      .reply(307, '', { location: `${URL}/api/v1/admin/tsdb/delete_series` });
    const { request } = requestFor();

    const error = await failure(request('GET', 'labels'));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('redirected');
    expect(admin.isDone()).toBe(false);
  });

  it('times out with a retryable error when Prometheus does not answer in time', async () => {
    nock(URL)
      .get('/api/v1/query')
      .query(true)
      .delay(2_000)
      .reply(200, { status: 'success', data: { resultType: 'vector', result: [] } });
    const { request } = requestFor(URL, 50);

    const error = await failure(request('GET', 'query', [['query', 'up']]));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.isRetryable).toBe(true);
    expect(error.details.reason).toBe('timeout');
    expect(error.message).toContain('within 50 ms');
  });

  it('reports a retryable error naming the URL when the connection is refused', async () => {
    nock.enableNetConnect('127.0.0.1');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const { request } = requestFor(url);

    const error = await failure(request('GET', 'labels'));

    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain('ECONNREFUSED');
    nock.disableNetConnect();
  });

  it('rejects a URL that is not http(s) when the client is built', () => {
    expect(() => requestFor('prometheus:9090')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
