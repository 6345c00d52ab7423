import { afterEach, describe, expect, it } from 'vitest';
import { createKubeClient } from '../../src/telemetry/kube-client.js';
import { createKubeConfiguration } from '../../src/telemetry/kube-configuration.js';
import { createKubeDiscovery } from '../../src/telemetry/kube-discovery.js';
import { createKubeRequest } from '../../src/telemetry/kube-request.js';
import { createTelemetryStats } from '../../src/telemetry/telemetry-stats.js';
import { startRecordingServer, type RecordingServer, type Reply } from './recording-server.js';

// Discovery documents shaped as the API server returns them (meta/v1 APIGroupList and APIResourceList).
function groupList(...groupVersions: string[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions.map((groupVersion) => {
      const [name, version] = groupVersion.split('/');
      return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } };
    }),
  };
}

function resourceList(groupVersion: string, resources: Array<Record<string, unknown>>) {
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

const resource = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
  name,
  singularName: kind.toLowerCase(),
  namespaced: true,
  kind,
  verbs: ['delete', 'get', 'list', 'patch', 'watch'],
  ...extra,
});

const DOCUMENTS: Record<string, unknown> = {
  '/apis': groupList(
    'apps/v1',
    'argoproj.io/v1alpha1',
    'kubeflow.org/v1',
    'batch.volcano.sh/v1alpha1',
    'metrics.k8s.io/v1beta1',
  ),
  '/api/v1': resourceList('v1', [
    resource('pods', 'Pod', { shortNames: ['po'] }),
    resource('pods/log', 'Pod', { verbs: ['get'] }),
    resource('secrets', 'Secret'),
    resource('limitranges', 'LimitRange', { shortNames: ['limits'] }),
    resource('bindings', 'Binding', { verbs: ['create'] }),
  ]),
  '/apis/apps/v1': resourceList('apps/v1', [resource('deployments', 'Deployment', { shortNames: ['deploy'] })]),
  '/apis/argoproj.io/v1alpha1': resourceList('argoproj.io/v1alpha1', [
    resource('rollouts', 'Rollout', { shortNames: ['ro'] }),
    resource('rollouts/status', 'Rollout'),
  ]),
  '/apis/kubeflow.org/v1': resourceList('kubeflow.org/v1', [
    resource('pytorchjobs', 'PyTorchJob'),
    resource('jobs', 'Job'),
  ]),
  '/apis/batch.volcano.sh/v1alpha1': resourceList('batch.volcano.sh/v1alpha1', [
    resource('jobs', 'Job', { shortNames: ['vcjob'] }),
  ]),
  '/apis/kubeflow.org/v2beta1': resourceList('kubeflow.org/v2beta1', [resource('trainjobs', 'TrainJob')]),
};

const servers: RecordingServer[] = [];

async function discoveryOf(documents: Record<string, unknown> = DOCUMENTS, clock?: () => number) {
  const server = await startRecordingServer((request): Reply => {
    if (request.url === '/apis/metrics.k8s.io/v1beta1')
      return { status: 503, body: { kind: 'Status', message: 'service unavailable' } };
    const document = documents[request.url];
    return document === undefined ? { status: 404, body: { kind: 'Status', code: 404 } } : { body: document };
  });
  servers.push(server);
  const stats = createTelemetryStats();
  const request = createKubeRequest(createKubeConfiguration({ server: server.url }, stats), stats);
  return {
    server,
    discovery: createKubeDiscovery(request, { ttlMs: 60_000, refreshAfterMs: 10_000, ...(clock ? { clock } : {}) }),
  };
}

const paths = (server: RecordingServer) => server.requests.map((request) => request.url);

describe('createKubeDiscovery', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('answers built-in kinds without a request', async () => {
    const { server, discovery } = await discoveryOf();
    expect(await discovery.resolve('deploy')).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1' });
    expect(await discovery.resolve('NetworkPolicy')).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      plural: 'networkpolicies',
    });
    expect(paths(server)).toEqual([]);
  });

  it('finds a custom resource by kind, plural, short name and resource.group in one cached discovery round', async () => {
    const { server, discovery } = await discoveryOf();
    for (const name of ['Rollout', 'rollouts', 'ro', 'rollout', 'rollouts.argoproj.io', 'LimitRange']) {
      expect((await discovery.resolve(name)).plural, name).toMatch(/^(rollouts|limitranges)$/);
    }
    expect(await discovery.resolve('rollouts.argoproj.io')).toEqual({
      kind: 'Rollout',
      apiVersion: 'argoproj.io/v1alpha1',
      plural: 'rollouts',
      singular: 'rollout',
      namespaced: true,
      shortNames: ['ro'],
    });
    expect(paths(server).sort()).toEqual(
      [
        '/apis',
        '/api/v1',
        '/apis/apps/v1',
        '/apis/argoproj.io/v1alpha1',
        '/apis/kubeflow.org/v1',
        '/apis/batch.volcano.sh/v1alpha1',
        '/apis/metrics.k8s.io/v1beta1',
      ].sort(),
    );
  });

  it('asks only the group version named when an apiVersion or resource.version.group is given', async () => {
    const { server, discovery } = await discoveryOf();
    expect(await discovery.resolve('TrainJob', 'kubeflow.org/v2beta1')).toMatchObject({ plural: 'trainjobs' });
    expect(await discovery.resolve('trainjobs.v2beta1.kubeflow.org')).toMatchObject({ kind: 'TrainJob' });
    expect(paths(server)).toEqual(['/apis/kubeflow.org/v2beta1']);
    await expect(discovery.resolve('Rollout', 'argoproj.io/v1')).rejects.toMatchObject({
      code: 'TOOL_PARAMS_INVALID',
      message: 'The Kubernetes API does not serve argoproj.io/v1.',
    });
    await expect(discovery.resolve('Experiment', 'argoproj.io/v1alpha1')).rejects.toMatchObject({
      message: "The Kubernetes API serves no kind 'Experiment' in argoproj.io/v1alpha1.",
    });
  });

  it('names every group when a custom kind is served by several, and takes the apiVersion that settles it', async () => {
    const { discovery } = await discoveryOf();
    // `Job` alone is the built-in batch Job, as for kubectl; `vcjob` and `jobs.batch.volcano.sh` are Volcano's.
    expect(await discovery.resolve('Job')).toMatchObject({ apiVersion: 'batch/v1' });
    expect(await discovery.resolve('vcjob')).toMatchObject({ apiVersion: 'batch.volcano.sh/v1alpha1' });
    expect(await discovery.resolve('jobs.kubeflow.org')).toMatchObject({ apiVersion: 'kubeflow.org/v1' });
    expect(await discovery.resolve('Job', 'batch.volcano.sh/v1alpha1')).toMatchObject({ plural: 'jobs' });
  });

  it('reports an ambiguous custom kind with the groups that serve it', async () => {
    const documents = {
      ...DOCUMENTS,
      '/apis': groupList('argoproj.io/v1alpha1', 'example.com/v1'),
      '/apis/example.com/v1': resourceList('example.com/v1', [resource('rollouts', 'Rollout')]),
    };
    const { discovery } = await discoveryOf(documents);
    await expect(discovery.resolve('Rollout')).rejects.toMatchObject({
      code: 'TOOL_PARAMS_INVALID',
      message:
        "Kind 'Rollout' is served by several API groups: Rollout (argoproj.io/v1alpha1), Rollout (example.com/v1).",
    });
  });

  it('leaves out subresources, Secrets and kinds that cannot be read, and notes groups whose discovery failed', async () => {
    const { discovery } = await discoveryOf();
    const catalog = await discovery.catalog();
    const names = catalog.kinds.map((kind) => `${kind.plural}.${kind.apiVersion}`);
    expect(names).toContain('pods.v1');
    expect(names.some((name) => name.includes('/status') || name.includes('/log'))).toBe(false);
    expect(names.some((name) => name.startsWith('secrets') || name.startsWith('bindings'))).toBe(false);
    expect(catalog.failed).toEqual(['metrics.k8s.io/v1beta1']);
    await expect(discovery.resolve('PodMetrics')).rejects.toMatchObject({
      message: expect.stringContaining('Discovery failed for metrics.k8s.io/v1beta1'),
    });
  });

  it('asks again for a kind it did not find once its cached discovery is older than the refresh delay', async () => {
    let now = 0;
    const documents: Record<string, unknown> = { ...DOCUMENTS };
    const { server, discovery } = await discoveryOf(documents, () => now);
    await expect(discovery.resolve('ScaledObject')).rejects.toMatchObject({ code: 'TOOL_PARAMS_INVALID' });
    // KEDA is installed after the first look-up.
    documents['/apis'] = groupList('argoproj.io/v1alpha1', 'keda.sh/v1alpha1');
    documents['/apis/keda.sh/v1alpha1'] = resourceList('keda.sh/v1alpha1', [
      resource('scaledobjects', 'ScaledObject', { shortNames: ['so'] }),
    ]);
    await expect(discovery.resolve('ScaledObject')).rejects.toMatchObject({ code: 'TOOL_PARAMS_INVALID' });
    const before = server.requests.length;
    now = 15_000;
    expect(await discovery.resolve('so')).toMatchObject({ kind: 'ScaledObject', apiVersion: 'keda.sh/v1alpha1' });
    expect(server.requests.length).toBeGreaterThan(before);
  });
});

describe('createKubeClient with custom resources', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('lists and gets a custom resource at the path discovery gives, with apiVersion and kind on each item', async () => {
    const server = await startRecordingServer((request): Reply => {
      const document = DOCUMENTS[request.url];
      if (document !== undefined) return { body: document };
      if (request.url.startsWith('/apis/argoproj.io/v1alpha1/namespaces/llm/rollouts/chat-api'))
        return {
          body: {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            metadata: { name: 'chat-api', namespace: 'llm' },
          },
        };
      return { body: { kind: 'RolloutList', items: [{ metadata: { name: 'chat-api', namespace: 'llm' } }] } };
    });
    servers.push(server);
    const kube = createKubeClient({ server: server.url });
    const listed = await kube.list('ro', { namespace: 'llm', labelSelector: 'app=chat-api' });
    expect(listed.request).toBe('/apis/argoproj.io/v1alpha1/namespaces/llm/rollouts?labelSelector=app%3Dchat-api');
    expect(listed.items[0]).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' });
    const got = await kube.get('Rollout', 'chat-api', 'llm', { apiVersion: 'argoproj.io/v1alpha1' });
    expect(got.object?.metadata.name).toBe('chat-api');
    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
  });
});
