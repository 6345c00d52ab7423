import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import type { PodLogsOptions } from '../../../src/telemetry/kube-types.js';
import { unhealthyContainers, type UnhealthyContainer } from '../../../src/toolsets/builtins/unhealthy-containers.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import { fakeKube } from '../fake-clients.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function pod(
  name: string,
  containers: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: {
      nodeName: 'node-1',
      containers: containers.map((status) => ({
        name: status.name,
        image: `registry/${String(status.name)}:1`,
        resources: { limits: { memory: '1Gi' } },
      })),
      ...extra,
    },
    status: { phase: 'Running', containerStatuses: containers },
  };
}

const oomLoop = {
  name: 'api',
  restartCount: 4,
  state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: ago(8), finishedAt: ago(2) } },
};
const healthy = { name: 'proxy', restartCount: 0, state: { running: { startedAt: ago(600) } } };
const oldRestart = {
  name: 'api',
  restartCount: 2,
  state: { running: { startedAt: ago(2880) } },
  lastState: { terminated: { reason: 'Error', exitCode: 1, startedAt: ago(2881), finishedAt: ago(2880) } },
};
const configCrash = {
  name: 'api',
  restartCount: 6,
  state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastState: { terminated: { reason: 'Error', exitCode: 1, startedAt: ago(5), finishedAt: ago(5) } },
};
const pulling = {
  name: 'api',
  restartCount: 0,
  state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry/api:2"' } },
};

/** Logs by `pod/container/previous|current`. */
function logs(entries: Record<string, string[]>) {
  return async (options: PodLogsOptions) =>
    (entries[`${options.pod}/${options.container}/${options.previous ? 'previous' : 'current'}`] ?? []).join('\n');
}

async function run(objects: KubeObject[], params: Record<string, unknown>, logEntries: Record<string, string[]> = {}) {
  const kube = fakeKube({ objects, podLogs: logs(logEntries) });
  const context = { kube, prometheus: undefined, now: () => NOW, toolset: {} } as unknown as ToolContext;
  const output = await unhealthyContainers({ namespace: 'shop', ...params }, context);
  return { output, kube, containers: (output.data as { containers: UnhealthyContainer[] }).containers };
}

/** A kubelet event about pod api-3, as the events API serves it. */
const event = (message: string, reason: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `api-3.${reason}`, namespace: 'shop' },
  involvedObject: { kind: 'Pod', name: 'api-3' },
  reason,
  type: 'Warning',
  message,
});

describe('unhealthyContainers', () => {
  it('lists restarted containers with their last termination and the log of the killed instance, latest first', async () => {
    const objects = [pod('api-1', [configCrash, healthy]), pod('api-2', [oomLoop, healthy])];
    const { output, containers } = await run(
      objects,
      {},
      { 'api-2/api/previous': ['work 1', 'work 2'], 'api-1/api/previous': ['fatal: invalid config'] },
    );

    expect(containers.map((entry) => `${entry.pod}/${entry.container}`)).toEqual(['api-2/api', 'api-1/api']);
    expect(containers[0]).toMatchObject({
      waitingReason: 'CrashLoopBackOff',
      restartCount: 4,
      limits: { memory: '1Gi' },
      lastTermination: { reason: 'OOMKilled', exitCode: 137, ranSeconds: 360 },
      log: { source: 'previous', lines: ['work 1', 'work 2'], total: 2 },
    });
    expect(containers[1]?.log?.lines).toEqual(['fatal: invalid config']);
    expect(output.text).toContain(
      'shop/api-2 container api on node-1: waiting CrashLoopBackOff; restarts 4; memory limit 1Gi; last terminated OOMKilled exit 137 2m ago after running 360s',
    );
  });

  it('leaves out a container that restarted before `since` and runs now, but keeps one that waits', async () => {
    const objects = [pod('api-1', [oldRestart]), pod('api-2', [pulling])];
    const { containers } = await run(objects, { since: '30m' });

    expect(containers.map((entry) => `${entry.pod} ${entry.waitingReason}`)).toEqual(['api-2 ImagePullBackOff']);
    expect(containers[0]?.log).toBeNull();
  });

  it('reads the current log when the previous one is empty and the container is not running', async () => {
    const { containers } = await run(
      [pod('api-1', [configCrash])],
      {},
      { 'api-1/api/current': ['ok', 'error: unknown field "timeout"'] },
    );

    expect(containers[0]?.log).toEqual({
      source: 'current',
      lines: ['ok', 'error: unknown field "timeout"'],
      total: 2,
    });
  });

  it('matches the pod regex against whole names and keeps only log lines matching the filter', async () => {
    const objects = [pod('api-1', [configCrash]), pod('api-10', [configCrash])];
    const { containers } = await run(
      objects,
      { pod: 'api-1', filter: 'invalid' },
      { 'api-1/api/previous': ['starting', 'invalid config'] },
    );

    expect(containers.map((entry) => entry.pod)).toEqual(['api-1']);
    expect(containers[0]?.log).toEqual({ source: 'previous', lines: ['invalid config'], total: 2 });
  });

  it('reads the logs of only top_k containers and records a log that cannot be read', async () => {
    const objects = [pod('api-1', [configCrash]), pod('api-2', [oomLoop])];
    const kube = fakeKube({
      objects,
      podLogs: async () => {
        throw new Error('previous terminated container "api" not found');
      },
    });
    const context = { kube, prometheus: undefined, now: () => NOW, toolset: {} } as unknown as ToolContext;
    const output = await unhealthyContainers({ namespace: 'shop', top_k: 1 }, context);
    const containers = (output.data as { containers: UnhealthyContainer[] }).containers;

    expect(containers[0]?.logError).toContain('not found');
    expect(containers[1]?.logError).toBeNull();
    expect(kube.logRequests.every((request) => request.pod === 'api-2')).toBe(true);
  });

  it('answers no_data, in words, when every container runs without restarts', async () => {
    const { output } = await run([pod('api-1', [healthy])], {});

    expect(output.status).toBe('no_data');
    expect(output.text).toBe('No restarted, waiting or failed containers among 1 pods (namespace shop).');
  });
});

describe('unhealthyContainers failure kinds', () => {
  it('sorts each container by why it fails and lists them by kind', async () => {
    const objects = [pod('api-1', [configCrash]), pod('api-2', [oomLoop])];
    const { output, containers } = await run(
      objects,
      {},
      { 'api-1/api/previous': ['fatal: invalid config: unknown field "retries"'], 'api-2/api/previous': ['work 1'] },
    );
    expect(containers.map((entry) => [entry.pod, entry.failure])).toEqual([
      ['api-2', 'oomKilled'],
      ['api-1', 'configError'],
    ]);
    const { failing } = output.data as { failing: Record<string, string[]> };
    expect(failing.oomKilled).toEqual(['api-2/api']);
    expect(failing.configError).toEqual(['api-1/api']);
    expect(failing.imagePull).toEqual([]);
  });

  it('attaches the kubelet pull error from the pod events to a container waiting on its image', async () => {
    const objects = [
      pod('api-3', [pulling]),
      event('Failed to pull image "registry/api:2": rpc error: code = NotFound desc = not found', 'Failed'),
      event('Error: ImagePullBackOff', 'Failed'),
      event('Back-off pulling image "registry/api:2"', 'BackOff'),
    ];
    const { containers } = await run(objects, {});
    expect(containers[0]).toMatchObject({ failure: 'imagePull' });
    expect(containers[0]!.pullError).toEqual({
      message: 'Failed to pull image "registry/api:2": rpc error: code = NotFound desc = not found',
      cause: 'the tag or repository does not exist in the registry',
      kind: 'notFound',
    });
  });

  it("keeps the end of a long pull error, where the registry's answer is, and names the pod's pull secrets", async () => {
    const message =
      'Failed to pull image "harbor.example.io/treasury/reconcile:3.8.1": failed to pull and unpack image ' +
      '"harbor.example.io/treasury/reconcile:3.8.1": failed to resolve reference "harbor.example.io/treasury/reconcile:3.8.1": ' +
      'failed to authorize: failed to fetch oauth token: unexpected status from GET request to ' +
      'https://harbor.example.io/service/token?scope=repository%3Atreasury%2Freconcile%3Apull&service=harbor-registry: 401 Unauthorized';
    const withSecret = { ...pod('api-3', [pulling]) };
    withSecret.spec = { ...(withSecret.spec as object), imagePullSecrets: [{ name: 'harbor-robot' }] };
    const objects: KubeObject[] = [withSecret, event(message, 'Failed')];
    const { containers } = await run(objects, {});
    expect(containers[0]!.pullError).toMatchObject({ kind: 'unauthorized' });
    expect(containers[0]!.pullError!.message).toMatch(/^Failed to pull image .* … .*401 Unauthorized$/);
    expect(containers[0]!.pullSecrets).toEqual(['harbor-robot']);
  });
});
