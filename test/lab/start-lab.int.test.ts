import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { rfc3339 } from '../../src/lab/rfc3339.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';

// Every expected value below follows from the notation in this fixture's scenario.yaml.
const FIXTURE = fileURLToPath(new URL('../fixtures/lab/lab-shared-gpu', import.meta.url));
const NOW = new Date('2025-03-10T12:00:00Z');
const MINUTE = 60;
const nowSeconds = NOW.getTime() / 1000;
const minutesAgo = (minutes: number) => nowSeconds - minutes * MINUTE;
const timeAgo = (minutes: number) => rfc3339(new Date(NOW.getTime() - minutes * 60_000));

const kubectl = (process.env.PATH ?? '')
  .split(delimiter)
  .map((directory) => join(directory, 'kubectl'))
  .find((candidate) => existsSync(candidate));

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

let lab: Lab;
let labTemp: string;
const savedTmpdir = process.env.TMPDIR;

async function prometheus(path: string, parameters: Record<string, string | number>): Promise<Sample[]> {
  const search = new URLSearchParams(
    Object.entries(parameters).map(([key, value]): [string, string] => [key, String(value)]),
  );
  const response = await fetch(`${lab.prometheusUrl}${path}?${search}`);
  const body = (await response.json()) as { status: string; error?: string; data: { result: Sample[] } };
  expect(body.status, body.error).toBe('success');
  return body.data.result;
}

const instant = (query: string, time: number) => prometheus('/api/v1/query', { query, time });

/** The one value an instant query returns, as a number. */
async function instantValue(query: string, time: number): Promise<number> {
  const result = await instant(query, time);
  expect(result, `${query} at ${time}`).toHaveLength(1);
  return Number(result[0]?.value?.[1]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function coreApi(): CoreV1Api {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(lab.kubeconfigPath);
  return kubeconfig.makeApiClient(CoreV1Api);
}

/** The ApiException a client-node call rejects with. */
async function apiError(call: Promise<unknown>): Promise<ApiException<string>> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiException);
  return error as ApiException<string>;
}

describe('startLab', () => {
  beforeAll(async () => {
    // A private TMPDIR shows whether close() leaves anything behind.
    labTemp = await mkdtemp(join(tmpdir(), 'holmes-start-lab-test-'));
    process.env.TMPDIR = labTemp;
    lab = await startLab(await loadScenario(FIXTURE, { now: NOW }));
  });

  afterAll(async () => {
    await lab?.close();
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    if (labTemp) await rm(labTemp, { recursive: true, force: true });
  });

  it('returns the sample the notation puts at a time when an instant query asks for that time', async () => {
    // '40+1x4 _ 97x3' over 10 minutes: 40 at now-9m … 44 at now-5m, nothing at now-4m, 97 from now-3m.
    const gpu = 'DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-node-1",gpu="0"}';
    expect(await instantValue(gpu, nowSeconds)).toBe(97);
    expect(await instantValue(gpu, minutesAgo(9))).toBe(40);
    expect(await instantValue(gpu, minutesAgo(6))).toBe(43);
    // The missing sample: Prometheus looks back to the one at now-5m.
    expect(await instantValue(`timestamp(${gpu})`, minutesAgo(4))).toBe(minutesAgo(5));
    // Before the first sample there is nothing.
    expect(await instant(gpu, minutesAgo(10))).toEqual([]);
    // '1x5 stale': 1 up to now-1m, then a staleness marker at now ends the series.
    expect(await instantValue('up{job="batch-embed"}', minutesAgo(1))).toBe(1);
    expect(await instant('up{job="batch-embed"}', nowSeconds)).toEqual([]);
  });

  it('returns the exact samples and times of the notation when a range is queried', async () => {
    const [raw] = await instant('DCGM_FI_DEV_GPU_UTIL[10m]', nowSeconds);
    expect(raw?.metric).toEqual({
      __name__: 'DCGM_FI_DEV_GPU_UTIL',
      gpu: '0',
      Hostname: 'gpu-node-1',
      modelName: 'NVIDIA A100-SXM4-80GB',
      namespace: 'llm',
      pod: 'chat-api-7d9f-x2',
    });
    expect(raw?.values).toEqual([
      [minutesAgo(9), '40'],
      [minutesAgo(8), '41'],
      [minutesAgo(7), '42'],
      [minutesAgo(6), '43'],
      [minutesAgo(5), '44'],
      [minutesAgo(3), '97'],
      [minutesAgo(2), '97'],
      [minutesAgo(1), '97'],
      [minutesAgo(0), '97'],
    ]);
    const [stepped] = await prometheus('/api/v1/query_range', {
      query: 'DCGM_FI_DEV_GPU_UTIL',
      start: minutesAgo(9),
      end: nowSeconds,
      step: MINUTE,
    });
    const expected = [40, 41, 42, 43, 44, 44, 97, 97, 97, 97];
    expect(stepped?.values).toEqual(expected.map((value, index) => [minutesAgo(9 - index), String(value)]));
  });

  it('computes histogram_quantile as worked out by hand when a histogram is backfilled', async () => {
    // Each minute the cumulative buckets grow by 10 (le 0.1), 30 (0.5), 70 (1), 90 (2), 98 (5) and
    // 100 (+Inf), so rate() over 5m is those numbers / 60 for every bucket alike, and quantiles
    // depend only on their ratios. With N = 100:
    // - q=0.5:  rank 50 lies in (0.5, 1] (30 below, 70 at its top): 0.5 + (1 - 0.5) * (50 - 30) / (70 - 30) = 0.75
    // - q=0.95: rank 95 lies in (2, 5] (90 below, 98 at its top):   2 + (5 - 2) * (95 - 90) / (98 - 90) = 3.875
    // - q=0.99: rank 99 lies in the +Inf bucket, so Prometheus answers the highest finite bound: 5
    // The mean: the sum grows by 85 s per 100 requests, 0.85 s.
    const buckets = 'sum by (le) (rate(http_request_duration_seconds_bucket{service="chat-api"}[5m]))';
    expect(await instantValue(`histogram_quantile(0.5, ${buckets})`, nowSeconds)).toBeCloseTo(0.75, 9);
    expect(await instantValue(`histogram_quantile(0.95, ${buckets})`, nowSeconds)).toBeCloseTo(3.875, 9);
    expect(await instantValue(`histogram_quantile(0.99, ${buckets})`, nowSeconds)).toBe(5);
    const mean = 'rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])';
    expect(await instantValue(mean, nowSeconds)).toBeCloseTo(0.85, 9);
  });

  it('lists pods by label selector when @kubernetes/client-node loads the written kubeconfig', async () => {
    const api = coreApi();
    const chat = await api.listNamespacedPod({ namespace: 'llm', labelSelector: 'app=chat-api' });
    expect(chat.items.map((pod) => pod.metadata?.name).sort()).toEqual(['chat-api-7d9f-k8', 'chat-api-7d9f-x2']);
    const everywhere = await api.listPodForAllNamespaces({ labelSelector: 'app in (batch-embed, dcgm-exporter)' });
    expect(everywhere.items.map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`).sort()).toEqual([
      'batch/batch-embed-5c4b-q7',
      'monitoring/dcgm-exporter-abcde',
    ]);
    const [pod] = chat.items.filter((item) => item.metadata?.name === 'chat-api-7d9f-x2');
    expect(pod?.spec?.nodeName).toBe('gpu-node-1');
    expect(pod?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason).toBe('OOMKilled');
  });

  it('reads the last lines of a log, with now-<duration> turned into times, when tailLines is given', async () => {
    const api = coreApi();
    const log = await api.readNamespacedPodLog({
      name: 'chat-api-7d9f-x2',
      namespace: 'llm',
      container: 'server',
      tailLines: 2,
    });
    expect(log).toBe(
      `${timeAgo(3)} WARN p99 2.4s above the SLO of 2s\n${timeAgo(1)} WARN p99 3.1s above the SLO of 2s\n`,
    );
    const previous = await api.readNamespacedPodLog({
      name: 'chat-api-7d9f-x2',
      namespace: 'llm',
      container: 'server',
      previous: true,
    });
    expect(previous).toBe(`${timeAgo(120)} ERROR CUDA out of memory\n`);
    // An inline `text:` block: the single container is chosen when none is named, as the API server does.
    const batch = await api.readNamespacedPodLog({ name: 'batch-embed-5c4b-q7', namespace: 'batch' });
    expect(batch).toBe(
      `${timeAgo(4)} starting embed batch (GPU 0 of gpu-node-1, time-sliced)\n${timeAgo(1)} batch 2 of 40\n`,
    );
  });

  it('rejects with a 404 NotFound Status when the pod does not exist', async () => {
    const error = await apiError(coreApi().readNamespacedPod({ name: 'no-such-pod', namespace: 'llm' }));
    expect(error.code).toBe(404);
    const status = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as Record<string, unknown>;
    expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    expect(status.message).toBe('pods "no-such-pod" not found');
  });

  it('refuses a create and stores nothing when a client tries to write', async () => {
    const api = coreApi();
    const body = {
      metadata: { name: 'intruder', namespace: 'llm' },
      spec: { containers: [{ name: 'main', image: 'busybox' }] },
    };
    const error = await apiError(api.createNamespacedPod({ namespace: 'llm', body }));
    expect(error.code).toBe(405);
    expect(String(error.body)).toContain('MethodNotAllowed');
    expect(lab.kubeApi.requests).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/api/v1/namespaces/llm/pods' }),
    );
    const pods = await api.listNamespacedPod({ namespace: 'llm' });
    expect(pods.items.map((pod) => pod.metadata?.name)).not.toContain('intruder');
  });

  const kubectlTitle = kubectl
    ? 'lists pods in every namespace when kubectl --kubeconfig get pods -A runs'
    : 'lists pods with kubectl (skipped: kubectl is not on PATH; install kubectl to run it)';
  it.skipIf(!kubectl)(kubectlTitle, async () => {
    const home = await mkdtemp(join(labTemp, 'kubectl-home-'));
    try {
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
        (resolve) => {
          execFile(
            kubectl ?? 'kubectl',
            ['--kubeconfig', lab.kubeconfigPath, '--cache-dir', join(home, 'cache'), 'get', 'pods', '-A'],
            { env: { PATH: process.env.PATH, HOME: home }, timeout: 30_000 },
            (error, out, err) =>
              resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
          );
        },
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const rows = stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s{2,}/));
      expect(rows[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      expect(rows.slice(1).map((row) => row.slice(0, 4))).toEqual([
        ['batch', 'batch-embed-5c4b-q7', '1/1', 'Running'],
        ['llm', 'chat-api-7d9f-k8', '1/1', 'Running'],
        ['llm', 'chat-api-7d9f-x2', '1/1', 'Running'],
        ['monitoring', 'dcgm-exporter-abcde', '1/1', 'Running'],
      ]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  // Last: it ends the lab the tests above share.
  it('leaves no Prometheus process and no temp dir behind when closed', async () => {
    const { pid, dataDir } = lab.prometheus;
    const kubeDir = dirname(lab.kubeconfigPath);
    expect(isRunning(pid)).toBe(true);
    expect(existsSync(dataDir)).toBe(true);
    expect(existsSync(lab.kubeconfigPath)).toBe(true);
    expect([dataDir, kubeDir].every((dir) => dir.startsWith(labTemp))).toBe(true);

    await lab.close();

    expect(isRunning(pid)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(kubeDir)).toBe(false);
    expect(readdirSync(labTemp)).toEqual([]);
    await expect(fetch(`${lab.prometheusUrl}/-/ready`)).rejects.toThrow();
    await expect(fetch(`${lab.kubeApiUrl}/api/v1/pods`)).rejects.toThrow();
    await expect(lab.close()).resolves.toBeUndefined();
  });
});
