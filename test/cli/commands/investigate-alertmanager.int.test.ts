import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFingerprint } from '../../../src/core/alert-fingerprint.js';
import { freePort } from '../../../src/lab/prometheus/free-port.js';
import { loadScenario } from '../../../src/lab/load-scenario.js';
import type { Scenario } from '../../../src/lab/scenario.js';
import { startLab, type Lab } from '../../../src/lab/start-lab.js';
import {
  postAlerts,
  startAlertmanager,
  type TestAlertmanager,
} from '../../integrations/alertmanager/fixtures/start-alertmanager.js';
import { startGateProxy, type GateProxy } from '../../server/fixtures/gate-proxy.js';
import { createSandbox, hasStack, ROOT, runCli, type Sandbox } from '../run-cli.js';

const SCENARIO = join(ROOT, 'evals/scenarios/k8s-search-ranker-degraded');

let scenario: Scenario;
let alertmanager: TestAlertmanager;
// In front of Alertmanager: records every request Holmes makes, to prove it only reads.
let recorder: GateProxy;
let sandbox: Sandbox;

describe('holmes investigate alertmanager', () => {
  beforeAll(async () => {
    scenario = await loadScenario(SCENARIO);
    alertmanager = await startAlertmanager('route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n');
    recorder = await startGateProxy(alertmanager.url);
    sandbox = await createSandbox();
    // The test's Alertmanager receives the scenario's alert and an unrelated one, as from Prometheus.
    await postAlerts(alertmanager.url, [
      { labels: scenario.alert.labels, annotations: scenario.alert.annotations, startsAt: scenario.alert.startsAt },
      { labels: { alertname: 'Watchdog', severity: 'none' }, startsAt: scenario.alert.startsAt },
    ]);
  });
  afterAll(async () => {
    await recorder?.close();
    await alertmanager?.close();
    await sandbox?.remove();
  });

  it(
    'investigates the matching firing alert in the lab of --scenario and prints the results as JSON, reading Alertmanager only',
    { timeout: 120_000 },
    async () => {
      recorder.requests.length = 0;
      const result = await runCli(sandbox, [
        '--json',
        'investigate',
        'alertmanager',
        '--url',
        recorder.url,
        '--alertname',
        'KubeDeployment.*',
        '--label',
        'namespace=search',
        '--scenario',
        SCENARIO,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const results = JSON.parse(result.stdout) as Array<{
        alert: { fingerprint: string; source: string };
        rootCause: { id: string } | null;
        status: string;
      }>;
      expect(results).toHaveLength(1);
      expect(results[0]!.alert).toMatchObject({ fingerprint: alertFingerprint(scenario.alert.labels), source: 'pull' });
      expect(results[0]!.rootCause?.id).toBe(scenario.expected.rootCause);
      expect(recorder.requests).toHaveLength(1);
      expect(recorder.requests[0]).toMatch(
        /^GET \/api\/v2\/alerts\?active=true&silenced=false&inhibited=false&filter=/,
      );
    },
  );

  it(
    'reads Prometheus and Kubernetes from --prometheus-url and --kubeconfig and prints the report as text',
    { timeout: 120_000 },
    async () => {
      let lab: Lab | undefined;
      try {
        lab = await startLab(scenario);
        const result = await runCli(sandbox, [
          'investigate',
          'alertmanager',
          '--url',
          alertmanager.url,
          '--label',
          'deployment=ranker',
          '--prometheus-url',
          lab.prometheusUrl,
          '--kubeconfig',
          lab.kubeconfigPath,
        ]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain('── 1/1 · fingerprint');
        expect(result.stdout).toContain(`ROOT CAUSE  ${scenario.expected.rootCause}`);
        expect(result.stdout).not.toContain('Watchdog');
      } finally {
        await lab?.close();
      }
    },
  );

  it('says nothing matches and prints [] when no firing alert matches, source flags given before the subcommand', async () => {
    const result = await runCli(sandbox, [
      '--json',
      'investigate',
      '--scenario',
      SCENARIO,
      'alertmanager',
      '--url',
      alertmanager.url,
      '--label',
      'namespace=nowhere',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain('No firing alerts match');
  });

  it('investigates at most --limit alerts and says how many matched', { timeout: 120_000 }, async () => {
    const result = await runCli(sandbox, [
      '--json',
      'investigate',
      'alertmanager',
      '--url',
      alertmanager.url,
      '--limit',
      '1',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
    expect(result.stderr).toContain('2 alerts match; investigating the 1 oldest');
    const wrong = await runCli(sandbox, ['investigate', 'alertmanager', '--url', alertmanager.url, '--limit', 'zero']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--limit zero is not a positive whole number');
  });

  it('exits 2 with the URL and a fix, without a stack, when Alertmanager cannot be reached', async () => {
    const port = await freePort('127.0.0.1');
    const result = await runCli(sandbox, ['investigate', 'alertmanager', '--url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Cannot reach Alertmanager at http://127.0.0.1:${port}/api/v2/alerts`);
    expect(result.stderr).toContain('fix: Check --url');
    expect(hasStack(result.stderr)).toBe(false);
  });

  it('exits 2 naming the flag when --url is missing or a --label is not name=value', async () => {
    const missing = await runCli(sandbox, ['investigate', 'alertmanager']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--url <url>' not specified");
    const badLabel = await runCli(sandbox, [
      'investigate',
      'alertmanager',
      '--url',
      alertmanager.url,
      '--label',
      'namespace',
    ]);
    expect(badLabel.code).toBe(2);
    expect(badLabel.stderr).toContain('--label namespace is not name=value');
  });

  it('keeps `holmes investigate` itself working beside its subcommand', async () => {
    const nothing = await runCli(sandbox, ['investigate']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing to investigate');
    const file = await sandbox.write('alert.json', JSON.stringify({ labels: { alertname: 'Watchdog' } }));
    const fromFile = await runCli(sandbox, ['--json', 'investigate', '--alert-file', file]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect((JSON.parse(fromFile.stdout) as { alert: { labels: { alertname: string } } }).alert.labels.alertname).toBe(
      'Watchdog',
    );
  });
});
