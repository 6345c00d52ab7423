import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createKubeClient } from '../../src/telemetry/kube-client.js';
import { createKubeConfiguration } from '../../src/telemetry/kube-configuration.js';
import { createTelemetryStats } from '../../src/telemetry/telemetry-stats.js';
import { startRecordingServer } from './recording-server.js';
import type { RecordingServer } from './recording-server.js';

const cleanups: Array<() => Promise<void>> = [];

async function serve(): Promise<RecordingServer> {
  const server = await startRecordingServer((request) =>
    request.url === '/api/v1'
      ? {
          body: {
            kind: 'APIResourceList',
            groupVersion: 'v1',
            resources: [{ name: 'pods', kind: 'Pod', namespaced: true, singularName: 'pod', verbs: ['get', 'list'] }],
          },
        }
      : { body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] } },
  );
  cleanups.push(() => server.close());
  return server;
}

describe('createKubeConfiguration', () => {
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  it('refuses writes, Secrets, subresources and watches made through client-node APIs before they reach the server', async () => {
    const server = await serve();
    const stats = createTelemetryStats();
    const { configuration } = createKubeConfiguration({ server: server.url }, stats);
    const core = new CoreV1Api(configuration);
    const objects = new KubernetesObjectApi(configuration);

    const attempts: Array<Promise<unknown>> = [
      core.deleteNamespacedPod({ name: 'chat-api-7d9f-x2', namespace: 'llm' }),
      core.createNamespacedConfigMap({ namespace: 'llm', body: { metadata: { name: 'x' } } }),
      core.readNamespacedSecret({ name: 'db-password', namespace: 'llm' }),
      core.listSecretForAllNamespaces(),
      core.listNamespacedPod({ namespace: 'llm', watch: true }),
      core.connectGetNamespacedPodProxy({ name: 'chat-api-7d9f-x2', namespace: 'llm' }),
      core.connectPostNamespacedPodExec({ name: 'chat-api-7d9f-x2', namespace: 'llm', command: 'sh' }),
      // Replacing the middleware for one call still meets the guard in the HTTP library.
      core.deleteNamespacedPod(
        { name: 'chat-api-7d9f-x2', namespace: 'llm' },
        { middleware: [], middlewareMergeStrategy: 'replace' },
      ),
      objects.delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'chat-api-7d9f-x2', namespace: 'llm' } }),
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({ code: 'READ_ONLY_VIOLATION' });
    }
    // A read through the same configuration still works.
    await core.listNamespacedPod({ namespace: 'llm' });

    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(server.requests.map((request) => request.url)).toEqual(['/api/v1', '/api/v1/namespaces/llm/pods']);
    expect(stats.snapshot().refused).toBe(attempts.length);
  });

  it('uses the kubeconfig context and its credentials when given a kubeconfig file', async () => {
    const server = await serve();
    const directory = await mkdtemp(join(tmpdir(), 'holmes-kubeconfig-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'config');
    await writeFile(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: other',
        'clusters:',
        `- {name: lab, cluster: {server: "${server.url}"}}`,
        '- {name: elsewhere, cluster: {server: "http://127.0.0.1:1"}}',
        'users:',
        '- {name: reader, user: {token: t0ken}}',
        'contexts:',
        '- {name: lab, context: {cluster: lab, user: reader}}',
        '- {name: other, context: {cluster: elsewhere, user: reader}}',
      ].join('\n'),
    );
    const kube = createKubeClient({ kubeconfigPath: path, context: 'lab' });

    await kube.list('Pod', { namespace: 'llm' });

    expect(kube.server).toBe(server.url);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0ken');
  });

  it('rejects contradictory or missing settings with a fix when built', () => {
    expect(() => createKubeConfiguration({ server: 'http://127.0.0.1:1', inCluster: true })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => createKubeConfiguration({ server: '127.0.0.1:6443' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => createKubeConfiguration({ kubeconfigPath: join(tmpdir(), 'holmes-no-such-kubeconfig') })).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND', fix: expect.stringContaining('kubeconfigPath') }),
    );
  });

  it('refuses in-cluster mode outside a cluster when KUBERNETES_SERVICE_HOST is unset', () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      expect(() => createKubeConfiguration({ inCluster: true })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', fix: expect.stringContaining('service account') }),
      );
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });

  it('names the available contexts when the context is unknown', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'holmes-kubeconfig-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'config');
    await writeFile(
      path,
      'clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: lab, context: {cluster: c, user: u}}]\ncurrent-context: lab\n',
    );

    expect(() => createKubeConfiguration({ kubeconfigPath: path, context: 'prod' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', fix: 'Use one of: lab.' }),
    );
  });
});
