import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiException, ApisApi, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { rfc3339 } from '../../src/lab/rfc3339.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { KUBECTL, runKubectl } from './kube-api/kubectl.js';

// Every expected value below follows from test/fixtures/lab/custom-resources.
const FIXTURE = fileURLToPath(new URL('../fixtures/lab/custom-resources', import.meta.url));
const NOW = new Date('2025-06-01T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const HOUR = 3600;
const DAY = 24 * HOUR;

const kubectl = KUBECTL;

let lab: Lab;
let home: string;
let custom: CustomObjectsApi;
let config: KubeConfig;

beforeAll(async () => {
  lab = await startLab(await loadScenario(FIXTURE, { now: NOW }));
  home = await mkdtemp(join(tmpdir(), 'holmes-custom-resources-'));
  config = new KubeConfig();
  config.loadFromFile(lab.kubeconfigPath);
  custom = config.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await lab?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

async function instantValue(query: string): Promise<number> {
  const search = new URLSearchParams({ query, time: String(nowSeconds) });
  const response = await fetch(`${lab.prometheusUrl}/api/v1/query?${search}`);
  const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
  expect(body.data.result, query).toHaveLength(1);
  return Number(body.data.result[0]?.value[1]);
}

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${lab.kubeApiUrl}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('the lab with time-valued series and quoted times', () => {
  it('serves @now-<duration> and @now+<duration> series as the Unix seconds of those instants', async () => {
    expect(await instantValue('kube_pod_start_time')).toBe(nowSeconds - 3 * HOUR);
    expect(await instantValue('probe_ssl_earliest_cert_expiry - time()')).toBe(-3 * DAY);
    expect(await instantValue('x509_cert_not_after - time()')).toBe(30 * DAY);
  });

  it('serves {{now-<duration>}} inside log lines as RFC 3339 times through the log endpoint', async () => {
    const response = await fetch(
      `${lab.kubeApiUrl}/api/v1/namespaces/serving/pods/chat-api-6b7c9-fghij/log?container=server&previous=true`,
    );
    const text = await response.text();
    const at = (seconds: number) => rfc3339(new Date(NOW.getTime() + seconds * 1000));
    expect(text.split('\n')[1]).toBe(
      `${at(-240)} ERROR tls: upstream certificate expired at ${at(-3 * DAY)} (not after ${at(-3 * DAY)}); next rotation ${at(HOUR)}`,
    );
    expect(text).not.toContain('{{');
  });
});

describe('the lab serving custom resources', () => {
  it('lists the custom groups beside the built-in ones in discovery, each with its resources', async () => {
    const groups = await config.makeApiClient(ApisApi).getAPIVersions();
    const byName = new Map(groups.groups.map((group) => [group.name, group]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['argoproj.io', 'kubeflow.org', 'leaderworkerset.x-k8s.io', 'keda.sh', 'apps']),
    );
    expect(byName.get('argoproj.io')?.preferredVersion).toEqual({
      groupVersion: 'argoproj.io/v1alpha1',
      version: 'v1alpha1',
    });
    const rollouts = await raw('/apis/argoproj.io/v1alpha1');
    expect(rollouts.body.resources).toEqual([
      {
        name: 'rollouts',
        singularName: 'rollout',
        namespaced: true,
        kind: 'Rollout',
        verbs: ['get', 'list'],
        shortNames: ['ro'],
      },
    ]);
    const jobs = await raw('/apis/kubeflow.org/v1');
    expect(jobs.body.resources).toEqual([
      { name: 'pytorchjobs', singularName: 'pytorchjob', namespaced: true, kind: 'PyTorchJob', verbs: ['get', 'list'] },
    ]);
    expect((await raw('/apis/kubeflow.org/v2')).status).toBe(404);
  });

  it('lists and gets custom resources through client-node CustomObjectsApi', async () => {
    const list = await custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'serving',
      plural: 'rollouts',
    });
    expect(list).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'RolloutList' });
    expect(list.items.map((item: { metadata: { name: string } }) => item.metadata.name)).toEqual(['chat-api']);
    const job = await custom.getNamespacedCustomObject({
      group: 'kubeflow.org',
      version: 'v1',
      namespace: 'training',
      plural: 'pytorchjobs',
      name: 'llama-ft',
    });
    expect(job).toMatchObject({ apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'llama-ft' } });
    const everywhere = await custom.listCustomObjectForAllNamespaces({
      group: 'leaderworkerset.x-k8s.io',
      version: 'v1',
      plural: 'leaderworkersets',
    });
    expect(everywhere.items.map((item: { metadata: { namespace: string } }) => item.metadata.namespace)).toEqual([
      'serving',
    ]);
    const missing = await custom
      .getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'serving',
        plural: 'rollouts',
        name: 'ghost',
      })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiException);
    expect((missing as ApiException<unknown>).code).toBe(404);
  });

  it('selects custom resources by label and by metadata field, and refuses other fields', async () => {
    const labelled = await custom.listCustomObjectForAllNamespaces({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'rollouts',
      labelSelector: 'app=chat-api',
    });
    expect(labelled.items).toHaveLength(1);
    const none = await custom.listCustomObjectForAllNamespaces({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'rollouts',
      labelSelector: 'app notin (chat-api)',
    });
    expect(none.items).toEqual([]);
    const byName = await raw('/apis/keda.sh/v1alpha1/scaledobjects?fieldSelector=metadata.name%3Dchat-api');
    expect(byName.body.items).toHaveLength(1);
    const refused = await raw('/apis/keda.sh/v1alpha1/scaledobjects?fieldSelector=spec.minReplicaCount%3D2');
    expect(refused).toMatchObject({
      status: 400,
      body: { message: 'field label not supported: spec.minReplicaCount' },
    });
  });

  it('prints the CRD printer columns, or Name and Age without a CRD, when asked for a Table', async () => {
    const accept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const rollouts = await raw('/apis/argoproj.io/v1alpha1/namespaces/serving/rollouts', { headers: accept });
    expect(rollouts.body.columnDefinitions.map((column: { name: string }) => column.name)).toEqual([
      'Name',
      'Desired',
      'Current',
      'Up-to-date',
      'Available',
      'Age',
    ]);
    expect(rollouts.body.rows.map((row: { cells: unknown[] }) => row.cells)).toEqual([['chat-api', 2, 2, 1, 1, '20d']]);
    const jobs = await raw('/apis/kubeflow.org/v1/pytorchjobs', { headers: accept });
    expect(jobs.body.rows.map((row: { cells: unknown[] }) => row.cells)).toEqual([['llama-ft', '6h']]);
  });

  it('refuses secrets under any group and every write to a custom resource', async () => {
    expect((await raw('/apis/argoproj.io/v1alpha1/namespaces/serving/secrets')).status).toBe(403);
    const write = await raw('/apis/argoproj.io/v1alpha1/namespaces/serving/rollouts/chat-api', {
      method: 'DELETE',
    });
    expect(write.status).toBe(405);
    const watch = await raw('/apis/argoproj.io/v1alpha1/rollouts?watch=true');
    expect(watch.status).toBe(405);
  });
});

const run = (args: string[]) => runKubectl(home, lab.kubeconfigPath, args);

/** Lines of kubectl's table output, cells split on its column gaps. */
const table = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

describe.skipIf(!kubectl)(
  kubectl ? 'kubectl against the lab' : 'kubectl against the lab (skipped: no kubectl on PATH)',
  () => {
    it('gets custom resources by plural, short name and resource.group with their columns', async () => {
      const rollouts = await run(['get', 'rollouts', '-n', 'serving']);
      expect(rollouts.stderr).toBe('');
      // kubectl computes AGE from its own clock, so only the scenario's values are fixed.
      expect(table(rollouts.stdout)[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      expect(table(rollouts.stdout)[1]?.slice(0, 5)).toEqual(['chat-api', '2', '2', '1', '1']);
      const short = await run(['get', 'ro', 'chat-api', '-n', 'serving', '-o', 'jsonpath={.status.phase}']);
      expect(short.stdout).toBe('Degraded');
      const jobs = await run(['get', 'pytorchjobs.kubeflow.org', '-A']);
      expect(table(jobs.stdout)[0]).toEqual(['NAMESPACE', 'NAME', 'AGE']);
      expect(table(jobs.stdout)[1]?.slice(0, 2)).toEqual(['training', 'llama-ft']);
      const lws = await run(['get', 'leaderworkersets', '-n', 'serving', '-o', 'name']);
      expect(lws.stdout.trim()).toBe('leaderworkerset.leaderworkerset.x-k8s.io/vllm-70b');
    });

    it('selects custom resources by label and by field through kubectl, and prints the refusal of other fields', async () => {
      const labelled = await run(['get', 'rollouts', '-A', '-l', 'app=chat-api', '-o', 'name']);
      expect(labelled.stdout.trim()).toBe('rollout.argoproj.io/chat-api');
      const none = await run(['get', 'rollouts', '-A', '-l', 'app=other', '-o', 'name']);
      expect(none.stdout.trim()).toBe('');
      const byField = await run([
        'get',
        'scaledobjects.keda.sh',
        '-A',
        '--field-selector',
        'metadata.namespace=serving',
        '-o',
        'name',
      ]);
      expect(byField.stdout.trim()).toBe('scaledobject.keda.sh/chat-api');
      const refused = await run(['get', 'scaledobjects', '-A', '--field-selector', 'spec.minReplicaCount=2']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('field label not supported: spec.minReplicaCount');
    });

    it('lists the custom resources in api-resources and the CRD in get crd', async () => {
      const resources = await run(['api-resources', '--api-group=argoproj.io']);
      expect(table(resources.stdout)[1]).toEqual(['rollouts', 'ro', 'argoproj.io/v1alpha1', 'true', 'Rollout']);
      const crds = await run(['get', 'crd']);
      expect(table(crds.stdout)[0]).toEqual(['NAME', 'CREATED AT']);
      expect(table(crds.stdout)[1]?.[0]).toBe('rollouts.argoproj.io');
    });

    it('prints the storage, network and RBAC kinds with kubectl columns', async () => {
      const classes = await run(['get', 'storageclass']);
      expect(table(classes.stdout)[0]).toEqual([
        'NAME',
        'PROVISIONER',
        'RECLAIMPOLICY',
        'VOLUMEBINDINGMODE',
        'ALLOWVOLUMEEXPANSION',
        'AGE',
      ]);
      expect(table(classes.stdout)[1]?.slice(0, 5)).toEqual([
        'fast (default)',
        'ebs.csi.aws.com',
        'Delete',
        'WaitForFirstConsumer',
        'false',
      ]);
      const volumes = await run(['get', 'pv']);
      expect(table(volumes.stdout)[1]?.slice(0, 7)).toEqual([
        'pv-ckpt',
        '500Gi',
        'RWO',
        'Delete',
        'Bound',
        'training/ckpt',
        'fast',
      ]);
      const bindings = await run(['get', 'rolebindings', '-n', 'serving', '-o', 'wide']);
      expect(table(bindings.stdout)[0]).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
      expect(table(bindings.stdout)[1]?.[1]).toBe('Role/config-reader');
      expect(bindings.stdout).toContain('serving/chat-api');
      const policies = await run(['get', 'netpol', '-n', 'serving']);
      expect(table(policies.stdout)[1]?.slice(0, 2)).toEqual(['chat-api-egress', 'app=chat-api']);
      const slices = await run(['get', 'endpointslices', '-n', 'serving']);
      expect(table(slices.stdout)[1]?.slice(0, 4)).toEqual(['chat-api-x7k2p', 'IPv4', '8000', '10.0.0.21']);
      const accounts = await run(['get', 'sa,roles', '-n', 'serving']);
      expect(accounts.stdout).toMatch(/serviceaccount\/chat-api\s+0\s/);
      expect(accounts.stdout).toMatch(/role\.rbac\.authorization\.k8s\.io\/config-reader\s+2025-05-12T12:00:00Z/);
    });

    it('finds no secrets resource in discovery, and Forbidden when kubectl asks for the path itself', async () => {
      const secrets = await run(['get', 'secrets', '-n', 'serving']);
      expect(secrets.code).not.toBe(0);
      expect(secrets.stderr).toContain(`the server doesn't have a resource type "secrets"`);
      const rawSecrets = await run(['get', '--raw', '/apis/kubeflow.org/v1/namespaces/training/secrets']);
      expect(rawSecrets.stderr).toContain('Error from server (Forbidden)');
    });
  },
);
