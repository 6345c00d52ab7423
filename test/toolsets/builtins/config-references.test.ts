import { describe, expect, it } from 'vitest';
import { configReferences, missingReference } from '../../../src/toolsets/builtins/config-references.js';
import { fakeKube } from '../fake-clients.js';
import { context, event, object } from './kube-objects.js';

const blocked = (namespace: string, name: string, message: string, labels: Record<string, string> = {}) =>
  object('Pod', name, namespace, {
    metadata: { labels },
    spec: { containers: [{ name: 'main' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        { name: 'main', restartCount: 0, state: { waiting: { reason: 'CreateContainerConfigError', message } } },
      ],
    },
  });

describe('missingReference', () => {
  it('reads the object and key from the kubelet messages', () => {
    expect(missingReference("couldn't find key FEATURE_STORE_URL in ConfigMap ads/scorer-env", 'ads')).toEqual({
      kind: 'ConfigMap',
      namespace: 'ads',
      name: 'scorer-env',
      key: 'FEATURE_STORE_URL',
    });
    expect(missingReference('secret "hf-token" not found', 'emb')).toEqual({
      kind: 'Secret',
      namespace: 'emb',
      name: 'hf-token',
      key: null,
    });
    expect(
      missingReference('MountVolume.SetUp failed for volume "cfg" : configmap "app-cfg" not found', 'x'),
    ).toMatchObject({ kind: 'ConfigMap', name: 'app-cfg' });
    expect(missingReference('Back-off restarting failed container', 'x')).toBeNull();
  });
});

describe('configReferences', () => {
  it('names a missing key and the keys the ConfigMap has now', async () => {
    const kube = fakeKube({
      objects: [
        blocked('ads', 'scorer-5c8f6b7d9f-c7jlz', "couldn't find key FEATURE_STORE_URL in ConfigMap ads/scorer-env"),
        object('ConfigMap', 'scorer-env', 'ads', { data: { FEATURE_STORE_ENDPOINT: 'http://x', MODEL_URI: 's3://m' } }),
      ],
    });
    const output = await configReferences({ namespace: 'ads', workload: 'scorer' }, context(kube));
    expect(output.data).toMatchObject({
      blockedPods: 1,
      references: [
        {
          kind: 'ConfigMap',
          name: 'scorer-env',
          key: 'FEATURE_STORE_URL',
          exists: true,
          keys: ['FEATURE_STORE_ENDPOINT', 'MODEL_URI'],
          via: null,
        },
      ],
    });
  });

  it('follows the service a healthy workload fails to call, and lists the ExternalSecrets there', async () => {
    const kube = fakeKube({
      objects: [
        object('Pod', 'search-api-5f8b9d7c6d-h7zqm', 'search', {
          spec: { containers: [{ name: 'api' }] },
          status: { phase: 'Running' },
        }),
        object('Service', 'embedder', 'emb', { spec: { selector: { app: 'embedder' } } }),
        blocked('emb', 'embedder-7d6f5c9b8c-r2kxn', 'secret "hf-token" not found', { app: 'embedder' }),
        object('ExternalSecret', 'huggingface-token', 'emb', {
          spec: { target: { name: 'huggingface-token' } },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
      ],
      logs: {
        'search/search-api-5f8b9d7c6d-h7zqm/api':
          'ERROR embedding failed: ConnectError (url=http://embedder.emb.svc/embed); answering 503\n',
      },
    });
    const output = await configReferences({ namespace: 'search', workload: 'search-api' }, context(kube));
    expect(output.data).toMatchObject({
      upstreamsChecked: ['embedder.emb'],
      references: [{ kind: 'Secret', namespace: 'emb', name: 'hf-token', via: 'embedder.emb', exists: null }],
      externalSecrets: [{ name: 'huggingface-token', target: 'huggingface-token', ready: true }],
    });
  });

  it('has no data when nothing waits on a reference', async () => {
    const kube = fakeKube({
      objects: [
        object('Pod', 'api-5f8b9d7c6d-aaaaa', 'x', {
          spec: { containers: [{ name: 'api' }] },
          status: { phase: 'Running' },
        }),
      ],
    });
    const output = await configReferences({ namespace: 'x', workload: 'api' }, context(kube));
    expect(output.status).toBe('no_data');
    expect(output.data).toMatchObject({ references: [], blockedPods: 0 });
  });
});
