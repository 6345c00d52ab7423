import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { HolmesError } from '../../src/core/errors.js';
import { renderInvestigation } from '../../src/cli/render-investigation.js';
import { createGraphWriter, prepareGraphDirectory } from '../../src/cli/write-result-graphs.js';
import { samples, startFakePrometheus } from '../graphs/fake-prometheus.js';
import { specFor, STEP } from '../graphs/graph-fixtures.js';
import { decodePng } from '../graphs/png-pixels.js';
import { group, resultFor } from '../server/fixtures/webhook.js';
import type { RecordingServer } from '../telemetry/recording-server.js';

const START = Date.parse('2025-03-10T11:00:00Z') / 1000;
let dir: string;
let prometheus: RecordingServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'holmes-graphs-'));
  prometheus = await startFakePrometheus(
    { up: [{ metric: { pod: 'a' }, values: samples(START, STEP, 241, (i) => i / 100) }] },
    { fail: ['down'] },
  );
});
afterEach(async () => {
  await prometheus.close();
  await rm(dir, { recursive: true, force: true });
});

const configFor = (url: string | undefined) => {
  const { config } = loadConfig({ env: {} });
  return { ...config, prometheus: { ...config.prometheus, url } };
};

describe('createGraphWriter', () => {
  it('writes <id>-<n>.png for each graph and the report names each file', async () => {
    const result = {
      ...resultFor(group('A', 1).alerts),
      id: 'inv-1',
      graphs: [specFor({ title: 'p99 vs GPU' }), specFor({ title: 'SM clock' })],
    };
    const written = await createGraphWriter(dir, configFor(prometheus.url))(result);
    expect(written.failures).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['inv-1-1.png', 'inv-1-2.png']);
    const png = decodePng(await readFile(join(dir, 'inv-1-1.png')));
    expect([png.width, png.height]).toEqual([800, 400]);
    const report = renderInvestigation(result, { graphs: written });
    expect(report).toContain(
      `GRAPHS\n  1. p99 vs GPU → ${join(dir, 'inv-1-1.png')}\n  2. SM clock → ${join(dir, 'inv-1-2.png')}`,
    );
  });

  it('lists a graph that could not be drawn under NOT CHECKED and keeps the others', async () => {
    const result = {
      ...resultFor(group('A', 1).alerts),
      id: 'inv-2',
      graphs: [specFor({ title: 'broken', series: [{ query: 'down', legend: ['pod'] }] }), specFor({ title: 'fine' })],
    };
    const written = await createGraphWriter(dir, configFor(prometheus.url))(result);
    expect(await readdir(dir)).toEqual(['inv-2-2.png']);
    expect(result.status).toBe('completed');
    expect(result.notChecked).toEqual([
      expect.stringMatching(/^graph 1 'broken' was not rendered: Prometheus at .* HTTP 503/),
    ]);
    const report = renderInvestigation(result, { graphs: written });
    expect(report).toMatch(/GRAPHS\n  1\. broken: not rendered: Prometheus at .*\n  2\. fine → /);
    expect(report).toMatch(/NOT CHECKED\n  · graph 1 'broken' was not rendered/);
  });

  it('reports every graph under NOT CHECKED when no Prometheus is configured', async () => {
    const result = { ...resultFor(group('A', 1).alerts), id: 'inv-3', graphs: [specFor()] };
    await createGraphWriter(dir, configFor(undefined))(result);
    expect(result.notChecked).toEqual([
      "graph 1 'chat-api p99 TTFT vs GPU activity' was not rendered: no Prometheus is configured to read the series from.",
    ]);
  });

  it('mentions graphs it was not asked to write, and how to write them', () => {
    const result = { ...resultFor(group('A', 1).alerts), graphs: [specFor()] };
    expect(renderInvestigation(result)).toContain('GRAPHS 1 for the root cause (write them as PNG with --graphs DIR)');
  });
});

describe('prepareGraphDirectory', () => {
  it('creates the directory, or refuses a path it cannot create as a usage error', async () => {
    await prepareGraphDirectory(join(dir, 'a', 'b'));
    expect(await readdir(join(dir, 'a'))).toEqual(['b']);
    const file = join(dir, 'file');
    await writeFile(file, '');
    const error = await prepareGraphDirectory(join(file, 'x')).catch((caught: unknown) => caught);
    expect(HolmesError.isInstance(error) && error.isUserError).toBe(true);
    expect((error as HolmesError).message).toBe(`Cannot create the graphs directory ${join(file, 'x')}: ENOTDIR.`);
  });
});
