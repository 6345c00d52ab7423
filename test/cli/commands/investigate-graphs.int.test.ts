import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrometheus } from '../../graphs/fake-prometheus.js';
import type { RecordingServer } from '../../telemetry/recording-server.js';
import { createSandbox, hasStack, runCli, type Sandbox } from '../run-cli.js';

let sandbox: Sandbox;
let prometheus: RecordingServer;
let alertFile: string;

describe('holmes investigate --graphs', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    // Answers every range query with no series: the investigation completes with little evidence.
    prometheus = await startFakePrometheus({});
    alertFile = await sandbox.write(
      'alert.json',
      JSON.stringify({ labels: { alertname: 'InferenceP99High', namespace: 'llm' }, startsAt: '2026-11-26T06:00:00Z' }),
    );
  });
  afterAll(async () => {
    await prometheus?.close();
    await sandbox?.remove();
  });

  it('exits 2 with one message when the directory cannot be created, before investigating', async () => {
    const result = await runCli(sandbox, [
      'investigate',
      '--alert-file',
      alertFile,
      '--graphs',
      join(alertFile, 'graphs'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: Cannot create the graphs directory ${join(alertFile, 'graphs')}: ENOTDIR.`);
    expect(hasStack(result.stderr)).toBe(false);
    expect(prometheus.requests).toHaveLength(0);
  });

  it('creates the directory and lists the files written in the JSON result, as many as are in it', async () => {
    const dir = join(sandbox.dir, 'out', 'graphs');
    const result = await runCli(sandbox, [
      '--json',
      'investigate',
      '--alert-file',
      alertFile,
      '--prometheus-url',
      prometheus.url,
      '--graphs',
      dir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as { graphFiles?: Array<{ path: string }>; graphs?: unknown[] };
    expect(Array.isArray(output.graphFiles)).toBe(true);
    expect(output.graphFiles!.map((file) => file.path).sort()).toEqual(
      (await readdir(dir)).map((name) => join(dir, name)).sort(),
    );
    expect(output.graphFiles).toHaveLength(Math.min(output.graphs?.length ?? 0, 4));
  });
});
