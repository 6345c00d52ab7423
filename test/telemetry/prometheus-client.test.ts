import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import type { TelemetryRequestEvent } from '../../src/telemetry/telemetry-stats.js';

const URL = 'http://prometheus.test:9090';

function success(data: unknown, warnings?: string[]) {
  return { status: 'success', data, ...(warnings ? { warnings } : {}) };
}

describe('createPrometheusClient', () => {
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

  it('runs an instant query and parses the vector, special values included, when Prometheus answers', async () => {
    const body = success({
      resultType: 'vector',
      result: [
        { metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '0', pod: 'chat-api-x2' }, value: [1700000000, '98'] },
        { metric: { gpu: '1' }, value: [1700000000, 'NaN'] },
        { metric: { gpu: '2' }, value: [1700000000, '+Inf'] },
        { metric: { gpu: '3' }, value: [1700000000.5, '-Inf'] },
      ],
    });
    nock(URL).get('/api/v1/query').query({ query: 'DCGM_FI_DEV_GPU_UTIL', time: '1700000000' }).reply(200, body);
    const client = createPrometheusClient({ url: URL });

    const result = await client.instantQuery('DCGM_FI_DEV_GPU_UTIL', 1_700_000_000);

    expect(result.resultType).toBe('vector');
    if (result.resultType !== 'vector') return;
    expect(result.series[0]).toEqual({
      labels: { __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '0', pod: 'chat-api-x2' },
      value: [1700000000, 98],
    });
    expect(Number.isNaN(result.series[1]?.value[1])).toBe(true);
    expect(result.series[2]?.value[1]).toBe(Number.POSITIVE_INFINITY);
    expect(result.series[3]?.value).toEqual([1700000000.5, Number.NEGATIVE_INFINITY]);
    expect(result.request).toBe('/api/v1/query?query=DCGM_FI_DEV_GPU_UTIL&time=1700000000');
    expect(result.raw).toBe(JSON.stringify(body));
    expect(result.warnings).toEqual([]);
  });

  it('runs a range query with start, end and step and parses the matrix when asked for a range', async () => {
    nock(URL)
      .get('/api/v1/query_range')
      .query({ query: 'rate(vllm:request_success_total[5m])', start: '1700000000', end: '1700000060', step: '30' })
      .reply(
        200,
        success(
          {
            resultType: 'matrix',
            result: [
              {
                metric: { model: 'llama' },
                values: [
                  [1700000000, '1.5'],
                  [1700000030, '2'],
                  [1700000060, '2.5'],
                ],
              },
            ],
          },
          ['partial data'],
        ),
      );
    const client = createPrometheusClient({ url: URL });

    const result = await client.rangeQuery(
      'rate(vllm:request_success_total[5m])',
      new Date(1_700_000_000_000),
      '1700000060',
      30,
    );

    expect(result).toMatchObject({
      resultType: 'matrix',
      series: [
        {
          labels: { model: 'llama' },
          values: [
            [1700000000, 1.5],
            [1700000030, 2],
            [1700000060, 2.5],
          ],
        },
      ],
      warnings: ['partial data'],
    });
    expect(result.request).toBe(
      '/api/v1/query_range?query=rate%28vllm%3Arequest_success_total%5B5m%5D%29&start=1700000000&end=1700000060&step=30',
    );
  });

  it('parses scalar and string results when the query yields them', async () => {
    nock(URL)
      .get('/api/v1/query')
      .query({ query: 'scalar(1)' })
      .reply(200, success({ resultType: 'scalar', result: [1700000000, '1'] }));
    nock(URL)
      .get('/api/v1/query')
      .query({ query: '"x"' })
      .reply(200, success({ resultType: 'string', result: [1700000000, 'x'] }));
    const client = createPrometheusClient({ url: URL });

    const scalar = await client.instantQuery('scalar(1)');
    const text = await client.instantQuery('"x"');

    expect(scalar).toMatchObject({ resultType: 'scalar', value: [1700000000, 1] });
    expect(text).toMatchObject({ resultType: 'string', value: [1700000000, 'x'] });
  });

  it('sends every matcher as match[] when looking up series, label names and label values', async () => {
    nock(URL)
      .get('/api/v1/series')
      .query({ 'match[]': ['up', 'DCGM_FI_DEV_GPU_UTIL{namespace="llm"}'], start: '100', end: '200' })
      .reply(200, success([{ __name__: 'up', job: 'dcgm' }]));
    nock(URL)
      .get('/api/v1/labels')
      .query({ 'match[]': 'up' })
      .reply(200, success(['__name__', 'job']));
    nock(URL)
      .get('/api/v1/label/pod/values')
      .query({ 'match[]': 'up', start: '100' })
      .reply(200, success(['chat-api-x2', 'batch-embed-1']));
    const client = createPrometheusClient({ url: URL });

    const series = await client.series(['up', 'DCGM_FI_DEV_GPU_UTIL{namespace="llm"}'], 100, 200);
    const labels = await client.labelNames(['up']);
    const values = await client.labelValues('pod', ['up'], { start: 100 });

    expect(series.series).toEqual([{ __name__: 'up', job: 'dcgm' }]);
    expect(series.request).toBe(
      '/api/v1/series?match%5B%5D=up&match%5B%5D=DCGM_FI_DEV_GPU_UTIL%7Bnamespace%3D%22llm%22%7D&start=100&end=200',
    );
    expect(labels.names).toEqual(['__name__', 'job']);
    expect(values.values).toEqual(['chat-api-x2', 'batch-embed-1']);
    expect(values.request).toBe('/api/v1/label/pod/values?match%5B%5D=up&start=100');
  });

  it('reads metadata, rules, alerts and build info with alert values as numbers', async () => {
    const alert = {
      labels: { alertname: 'InferenceP99High' },
      annotations: { summary: 'p99 high' },
      state: 'firing',
      activeAt: '2024-01-01T06:00:00Z',
      value: '2.5e+00',
    };
    nock(URL)
      .get('/api/v1/metadata')
      .query({ metric: 'DCGM_FI_DEV_GPU_UTIL' })
      .reply(200, success({ DCGM_FI_DEV_GPU_UTIL: [{ type: 'gauge', help: 'GPU utilization (in %).', unit: '' }] }));
    nock(URL)
      .get('/api/v1/rules')
      .reply(
        200,
        success({
          groups: [
            {
              name: 'inference',
              file: 'rules.yml',
              interval: 30,
              rules: [
                { name: 'InferenceP99High', query: 'x > 2', type: 'alerting', duration: 60, alerts: [alert] },
                { name: 'job:rate', query: 'rate(x[5m])', type: 'recording' },
              ],
            },
          ],
        }),
      );
    nock(URL)
      .get('/api/v1/alerts')
      .reply(200, success({ alerts: [alert] }));
    nock(URL)
      .get('/api/v1/status/buildinfo')
      .reply(200, success({ version: '2.42.0', revision: 'abc', goVersion: 'go1.19' }));
    const client = createPrometheusClient({ url: URL });

    const metadata = await client.metricMetadata('DCGM_FI_DEV_GPU_UTIL');
    const rules = await client.rules();
    const alerts = await client.alerts();
    const build = await client.buildInfo();

    expect(metadata.metadata.DCGM_FI_DEV_GPU_UTIL?.[0]?.type).toBe('gauge');
    expect(rules.groups[0]?.rules[0]?.alerts?.[0]?.value).toBe(2.5);
    expect(rules.groups[0]?.rules[1]).not.toHaveProperty('alerts');
    expect(alerts.alerts[0]).toMatchObject({ state: 'firing', value: 2.5, labels: { alertname: 'InferenceP99High' } });
    expect(build.buildInfo.version).toBe('2.42.0');
    expect(build.request).toBe('/api/v1/status/buildinfo');
  });

  it('keeps a path prefix and sends configured headers when the URL has one', async () => {
    nock(`${URL}/prometheus`, { reqheaders: { authorization: 'Bearer t0ken' } })
      .get('/api/v1/labels')
      .reply(200, success(['job']));
    const client = createPrometheusClient({ url: `${URL}/prometheus/`, headers: { authorization: 'Bearer t0ken' } });

    const labels = await client.labelNames();

    expect(labels.names).toEqual(['job']);
    expect(labels.request).toBe('/prometheus/api/v1/labels');
  });

  it('sends a user and password written in the URL as basic auth, and shows the URL without them', async () => {
    const basic = `Basic ${Buffer.from('ops team:p@ss/w0rd').toString('base64')}`;
    nock(URL, { reqheaders: { authorization: basic } })
      .get('/api/v1/labels')
      .reply(200, success(['job']))
      .get('/api/v1/query')
      .query(true)
      .reply(500, 'boom');
    const client = createPrometheusClient({ url: 'http://ops%20team:p%40ss%2Fw0rd@prometheus.test:9090' });

    expect((await client.labelNames()).names).toEqual(['job']);
    expect(client.url).toBe(URL);
    const error = await client.instantQuery('up').catch((caught: Error) => caught);
    expect((error as Error).message).toContain(`Prometheus at ${URL} failed`);
    expect((error as Error).message).not.toContain('w0rd');
  });

  it('refuses a URL with a password when an Authorization header is configured as well', () => {
    expect(() =>
      createPrometheusClient({ url: 'http://u:pw@prometheus.test:9090', headers: { Authorization: 'Bearer t' } }),
    ).toThrow(/carries a user and password, and an Authorization header/);
  });

  it('switches to a form POST when the query string would be too long for a GET', async () => {
    const query = `sum(${'up + '.repeat(1500)}up)`;
    let body = '';
    nock(URL)
      .post('/api/v1/query', (sent: Record<string, string>) => {
        body = sent.query ?? '';
        return true;
      })
      .reply(200, success({ resultType: 'vector', result: [] }));
    const events: TelemetryRequestEvent[] = [];
    const client = createPrometheusClient({ url: URL, onRequest: (event) => events.push(event) });

    const result = await client.instantQuery(query);

    expect(body).toBe(query);
    expect(result.request.startsWith('/api/v1/query?query=sum%28up+%2B+up')).toBe(true);
    expect(events[0]?.method).toBe('POST');
  });

  it('counts requests and reports each one to onRequest when queries run', async () => {
    nock(URL).get('/api/v1/labels').times(2).reply(200, success([]));
    nock(URL).get('/api/v1/alerts').reply(500, 'boom');
    const events: TelemetryRequestEvent[] = [];
    const client = createPrometheusClient({ url: URL, onRequest: (event) => events.push(event) });

    await client.labelNames();
    await client.labelNames();
    await expect(client.alerts()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });

    expect(client.stats()).toEqual({ requests: 3, errors: 1, refused: 0 });
    expect(events.map((event) => [event.request, event.outcome, event.status])).toEqual([
      ['/api/v1/labels', 'success', 200],
      ['/api/v1/labels', 'success', 200],
      ['/api/v1/alerts', 'error', 500],
    ]);
  });

  it('refuses an invalid label name before any request when asked for its values', async () => {
    const scope = nock(URL).get(/.*/).reply(200, success([]));
    const client = createPrometheusClient({ url: URL });

    await expect(client.labelValues('../admin', [])).rejects.toMatchObject({ code: 'TOOL_PARAMS_INVALID' });
    expect(scope.isDone()).toBe(false);
  });
});
