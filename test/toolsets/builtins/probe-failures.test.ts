import { describe, expect, it } from 'vitest';
import { probeFailures, probeOutcome } from '../../../src/toolsets/builtins/probe-failures.js';
import { fakeKube } from '../fake-clients.js';
import { ago, context, event, object } from './kube-objects.js';

function pod(name: string, container: Record<string, unknown>, status: Record<string, unknown>, ready: boolean) {
  return object('Pod', name, 'voice', {
    spec: { containers: [{ name: 'app', ports: [{ containerPort: 8000, name: 'http' }], ...container }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'app', ...status }],
    },
  });
}

describe('probeOutcome', () => {
  it('says what the probe got back in a few words', () => {
    expect(probeOutcome('Readiness probe failed: HTTP probe failed with statuscode: 404')).toBe('HTTP 404');
    expect(
      probeOutcome(
        'Liveness probe failed: Get "http://10.0.0.1:8000/healthz": dial tcp 10.0.0.1:8000: connect: connection refused',
      ),
    ).toBe('connection refused');
    expect(
      probeOutcome(
        'Liveness probe failed: Get "http://x/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      ),
    ).toBe('timeout');
  });
});

describe('probeFailures', () => {
  it('counts liveness kills and measures the killed instance against its start budget', async () => {
    const liveness = {
      httpGet: { path: '/healthz', port: 8000 },
      initialDelaySeconds: 45,
      periodSeconds: 10,
      failureThreshold: 3,
    };
    const kube = fakeKube({
      objects: [
        pod(
          'asr-5b9f8c6d47-p2xk9',
          { livenessProbe: liveness },
          {
            restartCount: 9,
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 143, reason: 'Error', startedAt: ago(4), finishedAt: ago(2) } },
          },
          false,
        ),
        event(
          'voice',
          { kind: 'Pod', name: 'asr-5b9f8c6d47-p2xk9' },
          'Unhealthy',
          'Liveness probe failed: Get "http://10.0.0.1:8000/healthz": dial tcp 10.0.0.1:8000: connect: connection refused',
          { count: 27 },
        ),
        event(
          'voice',
          { kind: 'Pod', name: 'asr-5b9f8c6d47-p2xk9' },
          'Killing',
          'Container app failed liveness probe, will be restarted',
          { count: 9 },
        ),
      ],
    });
    const output = await probeFailures({ namespace: 'voice', workload: 'asr' }, context(kube));
    expect(output.data).toMatchObject({
      notReady: 1,
      unreadyRunning: 0,
      crashedOnTheirOwn: [],
      failures: [{ probe: 'liveness', count: 27, outcome: 'connection refused' }],
      kills: [{ probe: 'liveness', count: 9, container: 'app' }],
      containers: [{ restarts: 9, exitCode: 143, ranSeconds: 120, startBudgetSeconds: 75 }],
      probes: [{ probe: 'liveness', handler: 'GET /healthz :8000', portDeclared: true }],
    });
  });

  it('takes the startup probe as the start budget, and flags a probe port the container does not declare', async () => {
    const kube = fakeKube({
      objects: [
        pod(
          'api-6d8f9b7c5f-abcde',
          {
            livenessProbe: { tcpSocket: { port: 9090 } },
            startupProbe: { httpGet: { path: '/started', port: 'http' }, periodSeconds: 10, failureThreshold: 30 },
          },
          { restartCount: 0, ready: true, state: { running: {} } },
          true,
        ),
      ],
    });
    const data = (await probeFailures({ namespace: 'voice', workload: 'api' }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.containers[0].startBudgetSeconds).toBe(300);
    expect(data.probes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ probe: 'liveness', port: '9090', portDeclared: false }),
        expect.objectContaining({ probe: 'startup', port: 'http', portDeclared: true }),
      ]),
    );
    expect(data.failures).toEqual([]);
  });

  it('tells pods kept out only by readiness from containers that crash by themselves', async () => {
    const readiness = { readinessProbe: { httpGet: { path: '/healthz', port: 'http' } } };
    const kube = fakeKube({
      objects: [
        pod('gw-8d4c7f9b6b-b7wsx', readiness, { restartCount: 0, ready: false, state: { running: {} } }, false),
        pod(
          'gw-8d4c7f9b6b-j3pcm',
          readiness,
          {
            restartCount: 3,
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(6), finishedAt: ago(5) } },
          },
          false,
        ),
        event(
          'voice',
          { kind: 'Pod', name: 'gw-8d4c7f9b6b-b7wsx' },
          'Unhealthy',
          'Readiness probe failed: HTTP probe failed with statuscode: 404',
          { count: 400 },
        ),
      ],
    });
    const data = (await probeFailures({ namespace: 'voice', workload: 'gw' }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data).toMatchObject({
      notReady: 2,
      unreadyRunning: 1,
      crashedOnTheirOwn: ['gw-8d4c7f9b6b-j3pcm/app exit 1'],
    });
    expect(data.failures[0]).toMatchObject({ probe: 'readiness', outcome: 'HTTP 404', count: 400 });
  });
});
