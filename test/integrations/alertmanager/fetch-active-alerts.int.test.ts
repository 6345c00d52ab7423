import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFingerprint } from '../../../src/core/alert-fingerprint.js';
import { HolmesError } from '../../../src/core/errors.js';
import { fetchActiveAlerts } from '../../../src/integrations/alertmanager/fetch-active-alerts.js';
import { freePort } from '../../../src/lab/prometheus/free-port.js';
import { postAlerts, startAlertmanager, type TestAlertmanager } from './fixtures/start-alertmanager.js';

// Notifications go nowhere; an Outage in a namespace inhibits its warnings.
const CONFIG = `route:
  receiver: nowhere
receivers:
  - name: nowhere
inhibit_rules:
  - source_matchers: ['alertname="Outage"']
    target_matchers: ['severity="warning"']
    equal: [namespace]
`;

const LABELS = {
  replicas: {
    alertname: 'KubeDeploymentReplicasMismatch',
    severity: 'warning',
    namespace: 'search',
    deployment: 'ranker',
  },
  crashLoop: { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: 'search', pod: 'ranker-0' },
  quoted: { alertname: 'HighLatency', severity: 'page', namespace: 'chat', note: 'say "hi"' },
  resolved: { alertname: 'KubeJobFailed', severity: 'warning', namespace: 'search' },
  silenced: { alertname: 'NoisyAlert', severity: 'info', namespace: 'search' },
  outage: { alertname: 'Outage', severity: 'critical', namespace: 'infra' },
  inhibited: { alertname: 'DiskFull', severity: 'warning', namespace: 'infra' },
};

let alertmanager: TestAlertmanager;

function fingerprints(alerts: Array<{ fingerprint: string }>): string[] {
  return alerts.map((alert) => alert.fingerprint).sort();
}

function expected(...names: Array<keyof typeof LABELS>): string[] {
  return names.map((name) => alertFingerprint(LABELS[name])).sort();
}

async function errorOf(run: () => Promise<unknown>): Promise<HolmesError> {
  try {
    await run();
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a HolmesError');
}

describe('fetchActiveAlerts (real Alertmanager 0.25)', () => {
  beforeAll(async () => {
    alertmanager = await startAlertmanager(CONFIG);
    const now = Date.now();
    const startsAt = new Date(now - 10 * 60_000).toISOString();
    await postAlerts(alertmanager.url, [
      { labels: LABELS.replicas, annotations: { summary: 'ranker below its desired replicas' }, startsAt },
      { labels: LABELS.crashLoop, startsAt: new Date(now - 5 * 60_000).toISOString() },
      { labels: LABELS.quoted, startsAt },
      { labels: LABELS.resolved, startsAt, endsAt: new Date(now - 60_000).toISOString() },
      { labels: LABELS.silenced, startsAt },
      { labels: LABELS.outage, startsAt },
      { labels: LABELS.inhibited, startsAt },
    ]);
    const silence = await fetch(`${alertmanager.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'NoisyAlert', isRegex: false, isEqual: true }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'holmes-test',
        comment: 'test silence',
      }),
    });
    expect(silence.ok).toBe(true);
  });
  afterAll(async () => {
    await alertmanager?.close();
  });

  it('returns firing alerts only (not resolved, silenced or inhibited) with Alertmanager fingerprints when given no filter', async () => {
    const alerts = await fetchActiveAlerts({ url: alertmanager.url });
    expect(fingerprints(alerts)).toEqual(expected('replicas', 'crashLoop', 'quoted', 'outage'));
    const replicas = alerts.find((alert) => alert.labels.deployment === 'ranker');
    expect(replicas).toMatchObject({
      status: 'firing',
      source: 'pull',
      annotations: { summary: 'ranker below its desired replicas' },
    });
    // Oldest first.
    expect(alerts.at(-1)!.labels.alertname).toBe('KubePodCrashLooping');
  });

  it('keeps alerts whose whole name matches when given --alertname as a regular expression', async () => {
    expect(fingerprints(await fetchActiveAlerts({ url: alertmanager.url, alertname: 'Kube.*' }))).toEqual(
      expected('replicas', 'crashLoop'),
    );
    // Anchored, as Alertmanager's matchers are.
    expect(await fetchActiveAlerts({ url: alertmanager.url, alertname: 'Kube' })).toEqual([]);
  });

  it('keeps alerts carrying every label when given labels, quotes included', async () => {
    expect(fingerprints(await fetchActiveAlerts({ url: alertmanager.url, labels: { namespace: 'search' } }))).toEqual(
      expected('replicas', 'crashLoop'),
    );
    expect(
      fingerprints(
        await fetchActiveAlerts({ url: alertmanager.url, labels: { namespace: 'search', pod: 'ranker-0' } }),
      ),
    ).toEqual(expected('crashLoop'));
    expect(fingerprints(await fetchActiveAlerts({ url: alertmanager.url, labels: { note: 'say "hi"' } }))).toEqual(
      expected('quoted'),
    );
  });

  it('throws USAGE with Alertmanager’s message when the regular expression is invalid', async () => {
    const error = await errorOf(() => fetchActiveAlerts({ url: alertmanager.url, alertname: '(' }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain('Alertmanager refused the filter');
  });

  it('throws UPSTREAM_UNAVAILABLE naming the URL when nothing listens there', async () => {
    const port = await freePort('127.0.0.1');
    const error = await errorOf(() => fetchActiveAlerts({ url: `http://127.0.0.1:${port}` }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain(`127.0.0.1:${port}/api/v2/alerts`);
    expect(error.fix).toContain('--url');
  });

  it('throws UPSTREAM_UNAVAILABLE when the URL is not an Alertmanager', async () => {
    const error = await errorOf(() => fetchActiveAlerts({ url: `${alertmanager.url}/no-such-prefix` }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
