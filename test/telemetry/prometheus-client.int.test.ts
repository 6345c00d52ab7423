import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import type { PrometheusClient } from '../../src/telemetry/prometheus-types.js';
import { closedPort } from './recording-server.js';

// Runs the client against a real Prometheus (Debian package `prometheus`) with two rules and no scrapes.
let directory = '';
let child: ChildProcess | undefined;
let client: PrometheusClient;

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('Prometheus did not get ready');
}

describe('createPrometheusClient against Prometheus', () => {
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'holmes-prometheus-'));
    await writeFile(
      join(directory, 'rules.yml'),
      [
        'groups:',
        '- name: holmes',
        '  interval: 1s',
        '  rules:',
        '  - alert: AlwaysFiring',
        '    expr: vector(2.5)',
        '    labels: {severity: critical}',
        '    annotations: {summary: always}',
        '  - record: holmes:one',
        '    expr: vector(1)',
      ].join('\n'),
    );
    await writeFile(
      join(directory, 'prometheus.yml'),
      'global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\nscrape_configs: []\n',
    );
    const port = await closedPort();
    child = spawn(
      'prometheus',
      [
        `--config.file=${join(directory, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
    client = createPrometheusClient({ url });
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await new Promise((resolve) => child?.once('exit', resolve));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('parses NaN and infinities from real answers', async () => {
    const nan = await client.instantQuery('0/0');
    const inf = await client.instantQuery('vector(1)/0');
    const negative = await client.instantQuery('-1/0');

    expect(nan.resultType).toBe('scalar');
    expect(nan.resultType === 'scalar' && Number.isNaN(nan.value[1])).toBe(true);
    expect(inf.resultType === 'vector' && inf.series[0]?.value[1]).toBe(Number.POSITIVE_INFINITY);
    expect(negative.resultType === 'scalar' && negative.value[1]).toBe(Number.NEGATIVE_INFINITY);
  });

  it('returns a matrix with one sample per step for a range query', async () => {
    const end = Math.floor(Date.now() / 1000);

    const result = await client.rangeQuery('vector(3)', end - 60, end, 15);

    expect(
      result.resultType === 'matrix' && result.series[0]?.values.map(([time, value]) => [time - end, value]),
    ).toEqual([
      [-60, 3],
      [-45, 3],
      [-30, 3],
      [-15, 3],
      [0, 3],
    ]);
  });

  it("carries Prometheus's parse error when the PromQL is bad", async () => {
    await expect(client.instantQuery('sum(')).rejects.toMatchObject({
      code: 'TOOL_PARAMS_INVALID',
      message: expect.stringContaining('parse error'),
    });
  });

  it('reads build info, rules, alerts, labels, series and metadata', async () => {
    const alerts = await waitFor(async () => {
      const answer = await client.alerts();
      return answer.alerts.length > 0 ? answer.alerts : undefined;
    });
    const rules = await client.rules();

    expect((await client.buildInfo()).buildInfo.version).toMatch(/^2\./);
    expect(alerts[0]).toMatchObject({ labels: { alertname: 'AlwaysFiring', severity: 'critical' }, value: 2.5 });
    expect(rules.groups[0]?.rules.map((rule) => [rule.name, rule.type])).toEqual([
      ['AlwaysFiring', 'alerting'],
      ['holmes:one', 'recording'],
    ]);
    const recorded = await waitFor(async () => {
      const answer = await client.labelValues('__name__');
      return answer.values.includes('holmes:one') ? answer.values : undefined;
    });
    expect(recorded).toContain('holmes:one');
    expect((await client.series(['holmes:one'])).series).toEqual([{ __name__: 'holmes:one' }]);
    expect((await client.labelNames()).names).toContain('__name__');
    expect((await client.metricMetadata()).metadata).toEqual({});
  });
});
