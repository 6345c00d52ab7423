import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../../../src/lab/kube-api/index.js';
import { KUBECTL, runKubectl } from './kubectl.js';
import { LOGS, NOW, OBJECTS } from './lab-objects.js';

const kubectl = KUBECTL;

const title = kubectl
  ? 'startKubeApiServer with kubectl'
  : 'startKubeApiServer with kubectl (skipped: no kubectl on PATH; install kubectl to run it)';

let server: KubeApiServer;
let directory: string;
let kubeconfigPath: string;

/** Runs kubectl against the lab only: no user kubeconfig, a private discovery cache. */
const run = (args: string[]) => runKubectl(directory, join(directory, 'no-such-kubeconfig'), args);

describe.skipIf(!kubectl)(title, () => {
  beforeAll(async () => {
    server = await startKubeApiServer({ objects: OBJECTS, logs: LOGS, now: NOW });
    directory = await mkdtemp(join(tmpdir(), 'holmes-kube-api-kubectl-'));
    kubeconfigPath = join(directory, 'kubeconfig');
    await writeKubeconfig({ url: server.url, path: kubeconfigPath, namespace: 'llm' });
  });

  afterAll(async () => {
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('prints pod names and statuses when kubectl --server URL get pods -n NS runs', async () => {
    const result = await run(['--server', server.url, 'get', 'pods', '-n', 'llm']);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['chat-api-7d9f-k8', '2/2', 'Running'],
      ['chat-api-7d9f-x2', '2/2', 'Running'],
      ['embed-worker-0', '0/1', 'CrashLoopBackOff'],
    ]);
    // kubectl asked for aggregated discovery first and fell back to the legacy documents.
    expect(server.requests.map((request) => request.path)).toEqual(
      expect.arrayContaining(['/api', '/apis', '/api/v1']),
    );
  });

  it('shows the node column when kubectl asks for wide output', async () => {
    const result = await run(['--server', server.url, 'get', 'pods', '-n', 'llm', '-o', 'wide', '-l', 'track=canary']);
    expect(result.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s/);
    expect(result.stdout).toMatch(/chat-api-7d9f-k8\s+2\/2\s+Running\s+0\s+40m\s+10\.0\.0\.5\s+gpu-node-2/);
  });

  it('lists other kinds through the written kubeconfig and its default namespace', async () => {
    const result = await run(['--kubeconfig', kubeconfigPath, 'get', 'deployments,hpa,events']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/deployment\.apps\/chat-api\s+2\/2\s+2\s+2\s+2d2h/);
    expect(result.stdout).toMatch(
      /horizontalpodautoscaler\.autoscaling\/chat-api\s+Deployment\/chat-api\s+cpu: 95%\/80%\s+1\s+2\s+2/,
    );
    expect(result.stdout).toMatch(
      /Warning\s+BackOff\s+pod\/embed-worker-0\s+Back-off restarting failed container worker/,
    );
    const nodes = await run(['--kubeconfig', kubeconfigPath, 'get', 'nodes']);
    expect(nodes.stdout).toMatch(/gpu-node-1\s+Ready\s+gpu\s+6d6h\s+v1\.30\.2/);
  });

  it('prints container logs when kubectl logs runs with --tail, --previous and -c', async () => {
    const tail = await run(['--kubeconfig', kubeconfigPath, 'logs', 'chat-api-7d9f-x2', '-c', 'server', '--tail=2']);
    expect(tail.stdout).toBe(`  at handler (server.py:88)\n${LOGS[0]?.lines[3]}\n`);
    const previous = await run(['--kubeconfig', kubeconfigPath, 'logs', 'embed-worker-0', '--previous']);
    expect(previous.stdout).toContain('CUDA out of memory');
  });

  it('shows the pod events when kubectl describe pod selects them by field', async () => {
    const result = await run(['--kubeconfig', kubeconfigPath, 'describe', 'pod', 'embed-worker-0']);
    expect(result.code).toBe(0);
    // describe computes ages from kubectl's own clock, not the lab's `now`, so only the count is fixed.
    expect(result.stdout).toMatch(
      /Warning\s+BackOff\s+\S+ \(x5 over \S+\)\s+kubelet\s+Back-off restarting failed container worker/,
    );
    expect(server.requests).toContainEqual(
      expect.objectContaining({
        path: '/api/v1/namespaces/llm/events',
        query: expect.objectContaining({
          fieldSelector: expect.stringContaining('involvedObject.name=embed-worker-0'),
        }),
      }),
    );
  });

  it('reports the refusal when kubectl tries to write, watch, exec or read a Secret', async () => {
    const deletion = await run(['--kubeconfig', kubeconfigPath, 'delete', 'pod', 'embed-worker-0']);
    expect(deletion.code).not.toBe(0);
    expect(deletion.stderr).toContain('Error from server (MethodNotAllowed)');
    const watch = await run(['--kubeconfig', kubeconfigPath, 'get', 'pods', '--watch-only']);
    expect(watch.code).not.toBe(0);
    expect(watch.stderr).toContain('watch is not supported');
    const exec = await run(['--kubeconfig', kubeconfigPath, 'exec', 'embed-worker-0', '--', 'ls']);
    expect(exec.stderr).toContain('Error from server (Forbidden)');
    const secret = await run(['--kubeconfig', kubeconfigPath, 'get', '--raw', '/api/v1/namespaces/llm/secrets']);
    expect(secret.stderr).toContain('Error from server (Forbidden)');
  });

  it('reports a missing pod as NotFound', async () => {
    const result = await run(['--kubeconfig', kubeconfigPath, 'get', 'pod', 'ghost']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe('Error from server (NotFound): pods "ghost" not found');
  });
});
