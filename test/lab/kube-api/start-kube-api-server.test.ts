import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  ApisApi,
  AppsV1Api,
  AutoscalingV2Api,
  CoreApi,
  CoreV1Api,
  KubeConfig,
  VersionApi,
  Watch,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../../../src/lab/kube-api/index.js';
import { LOGS, NOW, OBJECTS } from './lab-objects.js';

let server: KubeApiServer;
let directory: string;
let config: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  server = await startKubeApiServer({ objects: OBJECTS, logs: LOGS, now: NOW });
  directory = await mkdtemp(join(tmpdir(), 'holmes-kube-api-test-'));
  const path = join(directory, 'kubeconfig');
  await writeKubeconfig({ url: server.url, path, namespace: 'llm' });
  config = new KubeConfig();
  config.loadFromFile(path);
  core = config.makeApiClient(CoreV1Api);
  apps = config.makeApiClient(AppsV1Api);
});

afterAll(async () => {
  await server?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** The ApiException a call rejects with, its Status body parsed. */
async function failureOf(call: Promise<unknown>): Promise<{ code: number; status: Record<string, unknown> }> {
  const error = await call.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ApiException);
  const exception = error as ApiException<unknown>;
  const body = typeof exception.body === 'string' ? JSON.parse(exception.body) : exception.body;
  return { code: exception.code, status: body as Record<string, unknown> };
}

const names = (pods: V1Pod[]) => pods.map((pod) => pod.metadata?.name).sort();

describe('startKubeApiServer', () => {
  it('serves discovery documents the client parses when asked for version, groups and resources', async () => {
    const version = await config.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(version.major).toBe('1');
    const legacy = await config.makeApiClient(CoreApi).getAPIVersions();
    expect(legacy.versions).toEqual(['v1']);
    const groups = await config.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.map((group) => group.name).sort()).toEqual([
      'apiextensions.k8s.io',
      'apps',
      'autoscaling',
      'batch',
      'discovery.k8s.io',
      'networking.k8s.io',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
    ]);
    const coreResources = await core.getAPIResources();
    const pods = coreResources.resources.find((resource) => resource.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, verbs: ['get', 'list'], shortNames: ['po'] });
    expect(coreResources.resources.find((resource) => resource.name === 'pods/log')?.verbs).toEqual(['get']);
    expect(coreResources.resources.find((resource) => resource.name === 'nodes')?.namespaced).toBe(false);
    const appsResources = await apps.getAPIResources();
    expect(appsResources.groupVersion).toBe('apps/v1');
    expect(appsResources.resources.map((resource) => resource.name).sort()).toEqual([
      'daemonsets',
      'deployments',
      'replicasets',
      'statefulsets',
    ]);
  });

  it('answers health checks with ok and unknown paths with a NotFound Status', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const response = await fetch(`${server.url}${path}`);
      expect(await response.text()).toBe('ok');
    }
    const unknown = await fetch(`${server.url}/apis/example.com/v1/widgets`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
  });

  it('returns a PodList with typed items when pods are listed across namespaces', async () => {
    const list = await core.listPodForAllNamespaces();
    expect(list.kind).toBe('PodList');
    expect(list.apiVersion).toBe('v1');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(names(list.items)).toEqual(['chat-api-7d9f-k8', 'chat-api-7d9f-x2', 'embed-worker-0', 'nightly-report-29x']);
    expect(list.items.every((pod) => pod.kind === 'Pod' && pod.apiVersion === 'v1')).toBe(true);
    const llm = await core.listNamespacedPod({ namespace: 'llm' });
    expect(names(llm.items)).toEqual(['chat-api-7d9f-k8', 'chat-api-7d9f-x2', 'embed-worker-0']);
    const deployments = await apps.listNamespacedDeployment({ namespace: 'llm' });
    expect(deployments.kind).toBe('DeploymentList');
    expect(deployments.items[0]?.apiVersion).toBe('apps/v1');
  });

  it('filters pods with every label selector operator when a labelSelector is given', async () => {
    const select = async (labelSelector: string) =>
      names((await core.listNamespacedPod({ namespace: 'llm', labelSelector })).items);
    expect(await select('app=chat-api')).toEqual(['chat-api-7d9f-k8', 'chat-api-7d9f-x2']);
    expect(await select('app==embed')).toEqual(['embed-worker-0']);
    expect(await select('app!=chat-api')).toEqual(['embed-worker-0']);
    expect(await select('track in (canary, blue)')).toEqual(['chat-api-7d9f-k8']);
    expect(await select('tier notin (frontend)')).toEqual(['embed-worker-0']);
    expect(await select('track')).toEqual(['chat-api-7d9f-k8', 'chat-api-7d9f-x2']);
    expect(await select('!track')).toEqual(['embed-worker-0']);
    expect(await select('app=chat-api,track!=canary')).toEqual(['chat-api-7d9f-x2']);
  });

  it('rejects a malformed label selector with a BadRequest Status', async () => {
    const { code, status } = await failureOf(
      core.listNamespacedPod({ namespace: 'llm', labelSelector: 'app in chat-api' }),
    );
    expect(code).toBe(400);
    expect(status).toMatchObject({ reason: 'BadRequest' });
    expect(String(status.message)).toContain('unable to parse requirement');
  });

  it('filters with field selectors when pods and events are listed by field', async () => {
    const pods = async (fieldSelector: string) => names((await core.listPodForAllNamespaces({ fieldSelector })).items);
    expect(await pods('spec.nodeName=gpu-node-1')).toEqual(['chat-api-7d9f-x2', 'embed-worker-0']);
    expect(await pods('status.phase==Pending')).toEqual(['nightly-report-29x']);
    expect(await pods('status.phase!=Running,metadata.namespace=batch')).toEqual(['nightly-report-29x']);
    expect(await pods('metadata.name=chat-api-7d9f-k8')).toEqual(['chat-api-7d9f-k8']);
    const events = await core.listNamespacedEvent({
      namespace: 'llm',
      fieldSelector:
        'involvedObject.kind=Pod,involvedObject.name=embed-worker-0,involvedObject.namespace=llm,involvedObject.uid=uid-embed-worker-0',
    });
    expect(events.items.map((event) => event.reason)).toEqual(['BackOff']);
    const byPath = await core.listNamespacedEvent({
      namespace: 'llm',
      fieldSelector: 'involvedObject.fieldPath=spec.containers{worker}',
    });
    expect(byPath.items).toHaveLength(1);
  });

  it('refuses an unsupported field with a BadRequest Status naming the field', async () => {
    const { code, status } = await failureOf(
      core.listNamespacedPod({ namespace: 'llm', fieldSelector: 'spec.priority=5' }),
    );
    expect(code).toBe(400);
    expect(status).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'field label not supported: spec.priority',
    });
  });

  it('gets namespaced and cluster-scoped objects by name', async () => {
    const pod = await core.readNamespacedPod({ namespace: 'llm', name: 'embed-worker-0' });
    expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.reason).toBe('OOMKilled');
    expect((await core.readNode({ name: 'gpu-node-1' })).metadata?.uid).toBe('uid-gpu-node-1');
    expect((await core.readNamespace({ name: 'batch' })).kind).toBe('Namespace');
    expect((await apps.readNamespacedDeployment({ namespace: 'llm', name: 'chat-api' })).spec?.replicas).toBe(2);
    const hpa = await config
      .makeApiClient(AutoscalingV2Api)
      .readNamespacedHorizontalPodAutoscaler({ namespace: 'llm', name: 'chat-api' });
    expect(hpa.spec?.maxReplicas).toBe(2);
  });

  it('surfaces a missing object as an ApiException with code 404 and a NotFound Status', async () => {
    const { code, status } = await failureOf(core.readNamespacedPod({ namespace: 'llm', name: 'ghost' }));
    expect(code).toBe(404);
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "ghost" not found',
      reason: 'NotFound',
      details: { name: 'ghost', kind: 'pods' },
      code: 404,
    });
    const deployment = await failureOf(apps.readNamespacedDeployment({ namespace: 'batch', name: 'chat-api' }));
    expect(deployment.status.message).toBe('deployments.apps "chat-api" not found');
    expect(deployment.status.details).toEqual({ name: 'chat-api', group: 'apps', kind: 'deployments' });
  });

  it('pages a list when limit and continue are given', async () => {
    const first = await core.listNamespacedPod({ namespace: 'llm', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?._continue).toBeTruthy();
    const rest = await core.listNamespacedPod({ namespace: 'llm', limit: 2, _continue: first.metadata?._continue });
    expect(names([...first.items, ...rest.items])).toEqual(['chat-api-7d9f-k8', 'chat-api-7d9f-x2', 'embed-worker-0']);
    expect(rest.metadata?._continue).toBeFalsy();
  });

  it('serves a container log with tailLines, previous and container when asked', async () => {
    const all = await core.readNamespacedPodLog({ namespace: 'llm', name: 'chat-api-7d9f-x2', container: 'server' });
    expect(all.split('\n')).toHaveLength(5);
    const tail = await core.readNamespacedPodLog({
      namespace: 'llm',
      name: 'chat-api-7d9f-x2',
      container: 'server',
      tailLines: 1,
    });
    expect(tail).toMatch(/ERROR p99 above 2s\n$/);
    expect(tail.split('\n')).toHaveLength(2);
    // One container: no container parameter needed.
    expect(await core.readNamespacedPodLog({ namespace: 'llm', name: 'embed-worker-0' })).toBe(
      'loading model\nallocating KV cache\n',
    );
    const previous = await core.readNamespacedPodLog({ namespace: 'llm', name: 'embed-worker-0', previous: true });
    expect(previous).toContain('CUDA out of memory');
    expect(await core.readNamespacedPodLog({ namespace: 'llm', name: 'chat-api-7d9f-x2', container: 'proxy' })).toBe(
      '',
    );
  });

  it('filters log lines by sinceSeconds when lines carry an RFC 3339 time, keeping untimed lines', async () => {
    const recent = await core.readNamespacedPodLog({
      namespace: 'llm',
      name: 'chat-api-7d9f-x2',
      container: 'server',
      sinceSeconds: 6 * 60,
    });
    expect(recent.trimEnd().split('\n')).toEqual([
      expect.stringContaining('WARN queue depth 120'),
      '  at handler (server.py:88)',
      expect.stringContaining('ERROR p99 above 2s'),
    ]);
    const limited = await core.readNamespacedPodLog({ namespace: 'llm', name: 'embed-worker-0', limitBytes: 7 });
    expect(limited).toBe('loading');
  });

  it('requires a container name like the API server when the pod has several containers', async () => {
    const { code, status } = await failureOf(core.readNamespacedPodLog({ namespace: 'llm', name: 'chat-api-7d9f-x2' }));
    expect(code).toBe(400);
    expect(status.message).toBe(
      'a container name must be specified for pod chat-api-7d9f-x2, choose one of: [server proxy]',
    );
    const wrong = await failureOf(
      core.readNamespacedPodLog({ namespace: 'llm', name: 'chat-api-7d9f-x2', container: 'sidecar' }),
    );
    expect(wrong.status.message).toBe('container sidecar is not valid for pod chat-api-7d9f-x2');
    const missing = await failureOf(
      core.readNamespacedPodLog({ namespace: 'llm', name: 'ghost', container: 'server' }),
    );
    expect(missing.code).toBe(404);
  });

  it('refuses a create with MethodNotAllowed and leaves the objects unchanged', async () => {
    const body: V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'intruder' },
      spec: { containers: [{ name: 'x', image: 'x' }] },
    };
    const { code, status } = await failureOf(core.createNamespacedPod({ namespace: 'llm', body }));
    expect(code).toBe(405);
    expect(status).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
    const deletion = await failureOf(core.deleteNamespacedPod({ namespace: 'llm', name: 'embed-worker-0' }));
    expect(deletion.code).toBe(405);
    const pods = await core.listNamespacedPod({ namespace: 'llm' });
    expect(names(pods.items)).not.toContain('intruder');
    expect(names(pods.items)).toContain('embed-worker-0');
  });

  it('refuses every Secret read with a Forbidden Status', async () => {
    const read = await failureOf(core.readNamespacedSecret({ namespace: 'llm', name: 'openai-key' }));
    expect(read.code).toBe(403);
    expect(read.status).toMatchObject({ reason: 'Forbidden', details: { name: 'openai-key', kind: 'secrets' } });
    const list = await failureOf(core.listSecretForAllNamespaces());
    expect(list.code).toBe(403);
    expect(String(list.status.message)).toContain('Holmes never reads Secrets');
  });

  it('refuses watches with a MethodNotAllowed Status when watch=true or a /watch/ path is used', async () => {
    const listWatch = await failureOf(core.listNamespacedPod({ namespace: 'llm', watch: true }));
    expect(listWatch.code).toBe(405);
    expect(String(listWatch.status.message)).toContain('watch is not supported');
    const watchPath = await fetch(`${server.url}/api/v1/watch/namespaces/llm/pods`);
    expect(watchPath.status).toBe(405);
    const error = await new Promise<unknown>((resolve) => {
      void new Watch(config).watch('/api/v1/namespaces/llm/pods', {}, () => undefined, resolve);
    });
    expect((error as { statusCode?: number }).statusCode).toBe(405);
  });

  it('refuses exec, attach, port-forward and proxy subresources with a Forbidden Status', async () => {
    for (const subresource of ['exec', 'attach', 'portforward', 'proxy']) {
      const response = await fetch(
        `${server.url}/api/v1/namespaces/llm/pods/chat-api-7d9f-x2/${subresource}?command=ls`,
      );
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    }
  });

  it('answers a meta.k8s.io Table when the client asks for as=Table', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/llm/pods`, {
      headers: {
        accept:
          'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      },
    });
    const table = (await response.json()) as {
      kind: string;
      apiVersion: string;
      columnDefinitions: Array<{ name: string; priority: number }>;
      rows: Array<{ cells: unknown[]; object: { kind: string } }>;
    };
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    const shown = table.columnDefinitions.filter((column) => column.priority === 0).map((column) => column.name);
    expect(shown).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(table.columnDefinitions.map((column) => column.name)).toContain('Node');
    const embed = table.rows.find((row) => row.cells[0] === 'embed-worker-0');
    expect(embed?.cells.slice(0, 5)).toEqual(['embed-worker-0', '0/1', 'CrashLoopBackOff', '5 (2m ago)', '12m']);
    expect(embed?.object.kind).toBe('PartialObjectMetadata');
    const deployments = await fetch(`${server.url}/apis/apps/v1/namespaces/llm/deployments/chat-api`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const deploymentTable = (await deployments.json()) as { rows: Array<{ cells: unknown[] }> };
    expect(deploymentTable.rows[0]?.cells.slice(0, 5)).toEqual(['chat-api', '2/2', 2, 2, '2d2h']);
  });

  it('records every request with method, path and query', async () => {
    const before = server.requests.length;
    await core.listNamespacedPod({ namespace: 'batch', labelSelector: 'app=report' });
    const recorded = server.requests.slice(before);
    expect(recorded).toEqual([
      { method: 'GET', path: '/api/v1/namespaces/batch/pods', query: { labelSelector: 'app=report' } },
    ]);
    expect(server.requests.some((request) => request.method === 'POST')).toBe(true);
  });
});
