import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { parseAlertInput } from '../../../src/integrations/alertmanager/parse-alert-input.js';

// A version-4 body as Alertmanager posts it (fields per its webhook documentation).
const WEBHOOK = {
  version: '4',
  groupKey: '{}:{alertname="KubePodCrashLooping"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'holmes',
  groupLabels: { alertname: 'KubePodCrashLooping' },
  commonLabels: { alertname: 'KubePodCrashLooping', namespace: 'search' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'KubePodCrashLooping', namespace: 'search', pod: 'ranker-0' },
      annotations: { summary: 'ranker-0 is crash looping' },
      startsAt: '2026-11-26T06:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'c0ffee0123456789',
    },
  ],
};

function errorOf(run: () => unknown): HolmesError {
  try {
    run();
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
  }
  throw new Error('expected a HolmesError');
}

describe('parseAlertInput', () => {
  it('reads every alert of a webhook body with its group key', () => {
    const [alert] = parseAlertInput(WEBHOOK);
    expect(alert).toMatchObject({
      fingerprint: 'c0ffee0123456789',
      groupKey: WEBHOOK.groupKey,
      status: 'firing',
      labels: { pod: 'ranker-0' },
    });
  });

  it('accepts one bare alert and computes its fingerprint and start when missing', () => {
    const now = new Date('2026-11-26T07:00:00Z');
    const [alert] = parseAlertInput({ labels: { alertname: 'X', namespace: 'llm' } }, { now });
    expect(alert!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(alert!.startsAt).toBe(now.toISOString());
    expect(alert!.annotations).toEqual({});
  });

  it('rejects a webhook body with no alerts with a clear message', () => {
    const error = errorOf(() => parseAlertInput({ ...WEBHOOK, alerts: [] }));
    expect(error.code).toBe('ALERT_INVALID');
    expect(error.message).toContain('no alerts');
  });

  it('names the path of a malformed label', () => {
    const error = errorOf(() => parseAlertInput({ labels: { alertname: 'X', gpu: 0 } }));
    expect(error.issues[0]!.path).toBe('0.labels.gpu');
    expect(error.fix).toContain('labels');
  });
});
