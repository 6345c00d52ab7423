import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeKubeconfig } from '../../../src/lab/kube-api/write-kubeconfig.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'holmes-kubeconfig-test-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeKubeconfig', () => {
  it('writes one cluster, user and context the Kubernetes client loads when given a URL and namespace', async () => {
    const path = join(directory, 'nested', 'kubeconfig');
    await writeKubeconfig({ url: 'http://127.0.0.1:6443', path, namespace: 'llm' });
    const config = new KubeConfig();
    config.loadFromFile(path);
    expect(config.getClusters()).toHaveLength(1);
    expect(config.getUsers()).toHaveLength(1);
    expect(config.getCurrentCluster()).toMatchObject({ server: 'http://127.0.0.1:6443', skipTLSVerify: true });
    expect(config.getCurrentUser()?.token).toBeTruthy();
    expect(config.getContextObject(config.getCurrentContext())?.namespace).toBe('llm');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('leaves the namespace out of the context when none is given', async () => {
    const path = join(directory, 'kubeconfig');
    await writeKubeconfig({ url: 'http://127.0.0.1:6443', path });
    expect(await readFile(path, 'utf8')).not.toContain('namespace');
  });
});
