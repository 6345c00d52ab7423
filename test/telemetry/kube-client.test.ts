import { afterEach, describe, expect, it } from 'vitest';
import { createKubeClient } from '../../src/telemetry/kube-client.js';
import { closedPort, startRecordingServer } from './recording-server.js';
import type { RecordingServer, Responder } from './recording-server.js';

const POD = {
  metadata: {
    name: 'chat-api-7d9f-x2',
    namespace: 'llm',
    creationTimestamp: '2024-01-01T06:00:00Z',
    labels: { app: 'chat-api' },
  },
  spec: { nodeName: 'gpu-node-1' },
  status: { phase: 'Running', startTime: '2024-01-01T06:00:05Z' },
};

const servers: RecordingServer[] = [];

async function serve(responder: Responder): Promise<RecordingServer> {
  const server = await startRecordingServer(responder);
  servers.push(server);
  return server;
}

describe('createKubeClient', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('sends selectors and limit in the query string and returns plain JSON items with apiVersion and kind when listing', async () => {
    const server = await serve(() => ({
      body: { kind: 'PodList', apiVersion: 'v1', metadata: { continue: 'next-page' }, items: [POD] },
    }));
    const kube = createKubeClient({ server: server.url });

    const result = await kube.list('po', {
      namespace: 'llm',
      labelSelector: 'app=chat-api,tier in (gpu)',
      fieldSelector: 'spec.nodeName=gpu-node-1',
      limit: 50,
    });

    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/v1/namespaces/llm/pods?labelSelector=app%3Dchat-api%2Ctier+in+%28gpu%29&fieldSelector=spec.nodeName%3Dgpu-node-1&limit=50',
    ]);
    expect(result.request).toBe(server.requests[0]?.url);
    expect(result.items).toEqual([{ apiVersion: 'v1', kind: 'Pod', ...POD }]);
    expect(typeof result.items[0]?.metadata.creationTimestamp).toBe('string');
    expect(result.continue).toBe('next-page');
    expect(result.raw).toContain('"PodList"');
  });

  it('uses the group path of each kind and lists across namespaces when no namespace is given', async () => {
    const server = await serve(() => ({ body: { items: [] } }));
    const kube = createKubeClient({ server: `${server.url}/` });

    await kube.list('Deployments', { namespace: 'llm' });
    await kube.list('HPA');
    await kube.list('cronjob', { namespace: 'batch' });
    await kube.list('NODES', { namespace: 'ignored-for-cluster-kinds' });

    expect(server.requests.map((request) => request.url)).toEqual([
      '/apis/apps/v1/namespaces/llm/deployments',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      '/apis/batch/v1/namespaces/batch/cronjobs',
      '/api/v1/nodes',
    ]);
  });

  it('returns the object as plain JSON when it exists and null when the API answers 404', async () => {
    const server = await serve((request) =>
      request.url.endsWith('/chat-api-7d9f-x2')
        ? { body: POD }
        : {
            status: 404,
            body: {
              kind: 'Status',
              status: 'Failure',
              reason: 'NotFound',
              message: 'pods "gone" not found',
              code: 404,
            },
          },
    );
    const kube = createKubeClient({ server: server.url });

    const found = await kube.get('pod', 'chat-api-7d9f-x2', 'llm');
    const missing = await kube.get('Pod', 'gone', 'llm');

    expect(found.object).toEqual({ apiVersion: 'v1', kind: 'Pod', ...POD });
    expect(found.request).toBe('/api/v1/namespaces/llm/pods/chat-api-7d9f-x2');
    expect(missing).toMatchObject({ object: null, request: '/api/v1/namespaces/llm/pods/gone' });
  });

  it('asks for a namespace before sending when getting a namespaced kind without one', async () => {
    const server = await serve(() => ({ body: POD }));
    const kube = createKubeClient({ server: server.url });

    await expect(kube.get('Pod', 'chat-api-7d9f-x2')).rejects.toMatchObject({ code: 'TOOL_PARAMS_INVALID' });
    await expect(kube.get('Pod', '../secrets/x', 'llm')).rejects.toMatchObject({ code: 'TOOL_PARAMS_INVALID' });
    expect(server.requests).toEqual([]);
  });

  it('passes container, tailLines, sinceSeconds and previous and returns the text when reading pod logs', async () => {
    const server = await serve(() => ({ body: 'CUDA error: out of memory\nrestarting\n' }));
    const kube = createKubeClient({ server: server.url });

    const logs = await kube.podLogs({
      namespace: 'llm',
      pod: 'chat-api-7d9f-x2',
      container: 'server',
      tailLines: 200,
      sinceSeconds: 600,
      previous: true,
    });

    expect(server.requests[0]?.url).toBe(
      '/api/v1/namespaces/llm/pods/chat-api-7d9f-x2/log?container=server&tailLines=200&sinceSeconds=600&previous=true',
    );
    expect(logs.text).toBe('CUDA error: out of memory\nrestarting\n');
    expect(logs.request).toBe(server.requests[0]?.url);
  });

  it('selects events by involved object and returns them oldest first', async () => {
    const event = (name: string, lastTimestamp: string) => ({
      metadata: { name, namespace: 'llm' },
      reason: 'BackOff',
      lastTimestamp,
      involvedObject: { kind: 'Pod', name: 'chat-api-7d9f-x2' },
    });
    const server = await serve(() => ({
      body: { items: [event('late', '2024-01-01T06:10:00Z'), event('early', '2024-01-01T06:01:00Z')] },
    }));
    const kube = createKubeClient({ server: server.url });

    const result = await kube.events({ namespace: 'llm', kind: 'po', name: 'chat-api-7d9f-x2', uid: 'u-1' });

    expect(server.requests[0]?.url).toBe(
      '/api/v1/namespaces/llm/events?fieldSelector=involvedObject.kind%3DPod%2CinvolvedObject.name%3Dchat-api-7d9f-x2%2CinvolvedObject.uid%3Du-1',
    );
    expect(result.items.map((item) => item.metadata.name)).toEqual(['early', 'late']);
    expect(result.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Event' });
  });

  it('reads the server version', async () => {
    const server = await serve(() => ({
      body: { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' },
    }));
    const kube = createKubeClient({ server: server.url });

    const result = await kube.version();

    expect(result.version.gitVersion).toBe('v1.32.0');
    expect(result.request).toBe('/version');
  });

  it('refuses Secrets of any group without sending any request', async () => {
    const server = await serve(() => ({ body: { items: [] } }));
    const kube = createKubeClient({ server: server.url });

    for (const attempt of [
      kube.list('secrets', { namespace: 'llm' }),
      kube.get('Secret', 'db-password', 'llm'),
      kube.list('SECRET.v1'),
      kube.list('secrets.example.com'),
      kube.list('Secret', { apiVersion: 'example.com/v1' }),
      kube.list('vaults', { apiVersion: 'secrets/v1' }),
    ]) {
      await expect(attempt).rejects.toMatchObject({
        code: 'READ_ONLY_VIOLATION',
        message: expect.stringContaining('never reads Secrets'),
      });
    }
    expect(server.requests).toEqual([]);
    expect(kube.stats()).toEqual({ requests: 0, errors: 0, refused: 0 });
  });

  it('looks a kind it does not know up in discovery and says so when the server serves none', async () => {
    const server = await serve((request) =>
      request.url === '/apis'
        ? { body: { kind: 'APIGroupList', groups: [] } }
        : { body: { kind: 'APIResourceList', groupVersion: 'v1', resources: [] } },
    );
    const kube = createKubeClient({ server: server.url });

    await expect(kube.list('ingresses')).rejects.toMatchObject({
      code: 'TOOL_PARAMS_INVALID',
      message: "The Kubernetes API serves no kind 'ingresses' in its discovery.",
    });
    expect(server.requests.map((request) => request.url)).toEqual(['/apis', '/api/v1']);
  });

  it('reports a retryable UPSTREAM_UNAVAILABLE naming the server when the connection is refused', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const kube = createKubeClient({ server });

    const error = await kube.list('Pod').catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      isRetryable: true,
      message: expect.stringContaining(server),
    });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(kube.stats()).toEqual({ requests: 1, errors: 1, refused: 0 });
  });

  it('times out with a retryable error when the API server does not answer', async () => {
    const server = await serve(() => 'hang');
    const kube = createKubeClient({ server: server.url, timeoutMs: 50 });

    const error = await kube.get('Node', 'gpu-node-1').catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', isRetryable: true, details: { reason: 'timeout' } });
  });

  it('maps a forbidden answer to a non-retryable error that names RBAC, and a bad selector to TOOL_PARAMS_INVALID', async () => {
    const server = await serve((request) =>
      request.url.includes('nodes')
        ? {
            status: 403,
            body: { kind: 'Status', message: 'nodes is forbidden: User "holmes" cannot list resource "nodes"' },
          }
        : {
            status: 400,
            body: { kind: 'Status', message: 'unable to parse requirement: found "=", expected: identifier' },
          },
    );
    const kube = createKubeClient({ server: server.url });

    await expect(kube.list('Node')).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      isRetryable: false,
      fix: expect.stringContaining('RBAC'),
    });
    await expect(kube.list('Pod', { labelSelector: '=x' })).rejects.toMatchObject({
      code: 'TOOL_PARAMS_INVALID',
      message: expect.stringContaining('unable to parse requirement'),
    });
  });
});
