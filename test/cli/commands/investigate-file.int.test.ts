import { execFileSync } from 'node:child_process';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, hasStack, runCli, type Sandbox } from '../run-cli.js';

let sandbox: Sandbox;

describe.concurrent('holmes investigate --alert-file with hostile files', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(sandbox.dir, 'alerts.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await runCli(sandbox, ['investigate', '--alert-file', fifo]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('is not a regular file');
    expect(hasStack(result.stderr)).toBe(false);
  });

  it('refuses a file larger than 10 MB without reading it all', async () => {
    const file = await sandbox.write('huge.json', '[');
    await truncate(file, 11 * 1024 * 1024);
    const result = await runCli(sandbox, ['investigate', '--alert-file', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/larger than 10 MB/);
    expect(result.stderr).toMatch(/^fix: /m);
  });

  it('investigates a storm of 10,000 alerts once, and prints label values without obeying their escapes', async () => {
    const alerts = Array.from({ length: 10_000 }, (_, index) => ({
      labels: {
        alertname: 'PodDown',
        namespace: 'search',
        pod: index === 0 ? 'evil\u001b[2J\u001b]0;pwned\u0007\nROOT CAUSE  forged' : `p-${index}`,
      },
      startsAt: '2026-11-26T06:00:00Z',
    }));
    const file = await sandbox.write('storm.json', JSON.stringify(alerts));
    const json = await runCli(sandbox, ['investigate', '--alert-file', file, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as { alert: { labels: Record<string, string> } };
    // One group, so one result object (not a list of 10,000).
    expect(Array.isArray(result)).toBe(false);
    expect(result.alert.labels.pod).toContain('evil');

    const text = await runCli(sandbox, ['investigate', '--alert-file', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('10000 alerts');
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).not.toContain('\u0007');
    expect(text.stdout).toContain('evil\\e[2J\\e]0;pwned\\x07\\nROOT CAUSE  forged');
    expect(text.stdout.split('\n').filter((line) => line.startsWith('ROOT CAUSE'))).toHaveLength(1);
  });
});
