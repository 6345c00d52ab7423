import { afterEach, describe, expect, it } from 'vitest';
import { createGraphCache } from '../../src/graphs/create-graph-cache.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import type { RecordingServer } from '../telemetry/recording-server.js';
import { samples, startFakePrometheus } from './fake-prometheus.js';
import { specFor, STEP } from './graph-fixtures.js';

const START = Date.parse('2025-03-10T11:00:00Z') / 1000;
let server: RecordingServer;
afterEach(() => server?.close());

async function cache(maxEntries?: number) {
  server = await startFakePrometheus(
    { up: [{ metric: { pod: 'a' }, values: samples(START, STEP, 241, (i) => i) }] },
    { fail: ['down'] },
  );
  const prometheus = createPrometheusClient({ url: server.url, timeoutMs: 5_000 });
  return createGraphCache({ prometheus, ...(maxEntries ? { maxEntries } : {}) });
}

describe('createGraphCache', () => {
  it('renders a graph once for concurrent and repeated requests', async () => {
    const graphs = await cache();
    const [first, second] = await Promise.all([graphs.png('i/1', specFor()), graphs.png('i/1', specFor())]);
    const third = await graphs.png('i/1', specFor());
    expect(first.equals(second) && first.equals(third)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('does not keep a failure: the next request tries again', async () => {
    const graphs = await cache();
    const spec = specFor({ series: [{ query: 'down', legend: ['pod'] }] });
    await expect(graphs.png('i/1', spec)).rejects.toThrow(/HTTP 503/);
    await expect(graphs.png('i/1', spec)).rejects.toThrow(/HTTP 503/);
    expect(server.requests).toHaveLength(2);
    expect(graphs.size()).toBe(0);
  });

  it('keeps only the most recently used entries', async () => {
    const graphs = await cache(2);
    await graphs.png('a', specFor());
    await graphs.png('b', specFor());
    await graphs.png('a', specFor());
    await graphs.png('c', specFor());
    expect(graphs.size()).toBe(2);
    await graphs.png('a', specFor());
    expect(server.requests).toHaveLength(3);
    await graphs.png('b', specFor());
    expect(server.requests).toHaveLength(4);
  });
});
