import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSchema } from '../../src/core/alert.js';
import type { Issue } from '../../src/core/errors.js';
import { HolmesError } from '../../src/core/errors.js';
import { alignSamples } from '../../src/lab/align-samples.js';
import { loadScenario } from '../../src/lab/load-scenario.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/scenarios/gpu-noisy-neighbor-chat', import.meta.url));
const now = new Date('2025-03-04T05:06:07Z');
const at = (minutesAgo: number): string =>
  new Date(now.getTime() - minutesAgo * 60_000).toISOString().replace('.000Z', 'Z');

describe('loadScenario', () => {
  it('builds the alert as Alertmanager would send it when the scenario is valid', async () => {
    const scenario = await loadScenario(FIXTURE, { now });
    expect(scenario).toMatchObject({
      id: 'gpu-noisy-neighbor-chat',
      class: 'tail-latency',
      dir: FIXTURE,
      intervalMs: 30_000,
      now,
    });
    expect(scenario.alert).toEqual({
      // Checked against Alertmanager 0.25, which gave this fingerprint for the same labels.
      fingerprint: '0dcabdc02ddce1b1',
      status: 'firing',
      labels: { alertname: 'InferenceP99High', severity: 'critical', namespace: 'llm', service: 'chat-api' },
      annotations: { summary: 'chat-api p99 above 2s' },
      startsAt: '2025-03-04T04:56:07Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.monitoring:9090/graph?g0.expr=histogram_quantile',
      source: 'lab',
    });
    expect(alertSchema.safeParse(scenario.alert).success).toBe(true);
    expect(scenario.expected).toEqual({ rootCause: 'gpu-noisy-neighbor', mentions: ['batch-embed', 'gpu 0'] });
  });

  it('expands every series with its labels and line when the notation is valid', async () => {
    const { series } = await loadScenario(FIXTURE, { now });
    expect(series.map(({ metric, labels, line }) => ({ metric, labels, line }))).toEqual([
      {
        metric: 'DCGM_FI_DEV_GPU_UTIL',
        labels: { gpu: '0', Hostname: 'gpu-node-1', namespace: 'llm', pod: 'chat-api-7d9f-x2' },
        line: 11,
      },
      {
        metric: 'vllm:num_requests_running',
        labels: { model_name: 'llama-3-8b', namespace: 'llm', pod: 'chat-api-7d9f-x2' },
        line: 13,
      },
      { metric: 'http_requests_total', labels: { service: 'chat-api', code: '200' }, line: 15 },
    ]);
    expect(series[0]?.values).toHaveLength(32);
    expect(series[1]?.values).toEqual([2, 3, 4, 5, 6]);
    expect(series[2]?.values.slice(-3)).toEqual([300, null, 'stale']);
  });

  it('right-aligns every series to now when series have different lengths', async () => {
    const scenario = await loadScenario(FIXTURE, { now });
    const [gpu, running, requests] = scenario.series.map((series) =>
      alignSamples(series, scenario.now, scenario.intervalMs),
    );
    expect(gpu?.at(-1)).toEqual({ timestampMs: now.getTime(), value: 98 });
    expect(gpu?.[0]).toEqual({ timestampMs: now.getTime() - 31 * 30_000, value: 45 });
    // The shorter series starts later and still ends at now.
    expect(running?.[0]).toEqual({ timestampMs: now.getTime() - 4 * 30_000, value: 2 });
    expect(running?.at(-1)?.timestampMs).toBe(now.getTime());
    // The missing sample is left out; the staleness marker sits at now.
    expect(requests?.slice(-2)).toEqual([
      { timestampMs: now.getTime() - 2 * 30_000, value: 300 },
      { timestampMs: now.getTime(), value: 'stale' },
    ]);
  });

  it('resolves now in objects and fills what the API server would when loading kubernetes.yaml', async () => {
    const { objects } = await loadScenario(FIXTURE, { now });
    const byName = Object.fromEntries(
      objects.map((object) => [`${object.kind}/${object.metadata.name}`, object as Record<string, any>]),
    );
    expect(Object.keys(byName)).toEqual([
      'Namespace/llm',
      'Node/gpu-node-1',
      'Deployment/chat-api',
      'ReplicaSet/chat-api-7d9f',
      'Pod/chat-api-7d9f-x2',
      'ConfigMap/chat-api-config',
      'Event/chat-api-7d9f-x2.17a2b3c4d5e6f708',
    ]);
    const node = byName['Node/gpu-node-1'];
    expect(node?.metadata.namespace).toBeUndefined();
    expect(node?.metadata.creationTimestamp).toBe(at(0));
    expect(node?.status.conditions[0].lastTransitionTime).toBe(at(3 * 24 * 60));
    const deployment = byName['Deployment/chat-api'];
    expect(deployment?.metadata.creationTimestamp).toBe(at(3 * 24 * 60));
    expect(byName['ReplicaSet/chat-api-7d9f']?.metadata.ownerReferences[0]).toMatchObject({
      apiVersion: 'apps/v1',
      uid: deployment?.metadata.uid,
    });
    const pod = byName['Pod/chat-api-7d9f-x2'];
    expect(pod?.metadata).toMatchObject({
      uid: '0b6f7a53-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      resourceVersion: '4242',
      creationTimestamp: at(0),
    });
    expect(pod?.status.startTime).toBe(at(120));
    expect(pod?.status.containerStatuses[0].lastState.terminated.finishedAt).toBe(at(120));
    const configMap = byName['ConfigMap/chat-api-config'];
    expect(configMap?.metadata.namespace).toBe('default');
    expect(configMap?.data).toEqual({ note: 'now is a word here, and now-playing is not a time', exact: at(0) });
    expect(byName['Event/chat-api-7d9f-x2.17a2b3c4d5e6f708']).toMatchObject({
      lastTimestamp: at(5),
      involvedObject: { kind: 'Pod', name: 'chat-api-7d9f-x2', uid: '0b6f7a53-1c2d-4e5f-8a9b-0c1d2e3f4a5b' },
    });
    for (const object of objects) expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads logs from files and text with now prefixes resolved when logs are listed', async () => {
    const { logs } = await loadScenario(FIXTURE, { now });
    expect(logs).toEqual([
      {
        namespace: 'llm',
        pod: 'chat-api-7d9f-x2',
        container: 'server',
        previous: false,
        lines: [
          `${at(9)} INFO server started`,
          `${at(2)} WARN p99 2.4s above SLO`,
          'nowhere near a timestamp',
          at(0),
          'now-1m\tnot a space after the prefix',
        ],
      },
      // Only one trailing empty line is dropped: the file ends with a blank line.
      {
        namespace: 'llm',
        pod: 'chat-api-7d9f-x2',
        container: 'server',
        previous: true,
        lines: [`${at(121)} INFO loading model`, `${at(120)} ERROR CUDA out of memory`, ''],
      },
      {
        namespace: 'llm',
        pod: 'batch-embed-5c4b-q7',
        container: 'main',
        previous: false,
        lines: [`${at(3)} starting embed batch`, `${at(1)} batch 2 of 40`],
      },
    ]);
  });

  it('uses the current time truncated to the second when no now is given', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const scenario = await loadScenario(FIXTURE);
    expect(scenario.now.getTime() % 1000).toBe(0);
    expect(scenario.now.getTime()).toBeGreaterThanOrEqual(before);
    expect(scenario.now.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('throws SCENARIO_NOT_FOUND naming the path when the folder does not exist', async () => {
    const error = await loadScenario('/nonexistent/scenarios/nope').catch((caught: unknown) => caught);
    expect(HolmesError.isInstance(error) && error.code).toBe('SCENARIO_NOT_FOUND');
    expect((error as HolmesError).message).toContain('/nonexistent/scenarios/nope');
  });
});

// A valid scenario, one field per line, so each test can break one line and assert where.
const BASE = [
  'id: broken', // 1
  'title: t', // 2
  'class: tail-latency', // 3
  'interval: 30s', // 4
  'alert:', // 5
  '  labels: {alertname: A, severity: critical}', // 6
  '  startsAgo: 10m', // 7
  'series:', // 8
  `  - series: 'up{job="a"}'`, // 9
  "    values: '1x10'", // 10
  'expected:', // 11
  '  rootCause: cpu-throttling', // 12
  '  mentions: [pod-a]', // 13
];
const edit = (changes: Record<number, string>, extra: string[] = []): string[] =>
  [...BASE.map((line, index) => changes[index + 1] ?? line), ...extra].filter((line) => line !== '<drop>');

describe('loadScenario issues', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'holmes-load-scenario-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  let count = 0;
  async function write(
    lines: string[] | undefined,
    files: Record<string, string> = {},
    name = 'broken',
  ): Promise<string> {
    count += 1;
    const dir = join(root, String(count), name);
    await mkdir(dir, { recursive: true });
    if (lines !== undefined) await writeFile(join(dir, 'scenario.yaml'), `${lines.join('\n')}\n`);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    return dir;
  }

  async function failure(
    lines: string[] | undefined,
    files: Record<string, string> = {},
    name = 'broken',
  ): Promise<{ error: HolmesError; dir: string }> {
    const dir = await write(lines, files, name);
    const error = await loadScenario(dir, { now }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!HolmesError.isInstance(error)) throw new Error(`expected a HolmesError, got ${String(error)}`);
    return { error, dir };
  }

  async function issues(
    lines: string[],
    files: Record<string, string> = {},
  ): Promise<Array<Pick<Issue, 'path' | 'line' | 'message'> & { file: string | undefined }>> {
    const { error, dir } = await failure(lines, files);
    expect(error.code).toBe('SCENARIO_INVALID');
    for (const issue of error.issues) expect(issue.fix, `fix for ${issue.path}`).toBeTruthy();
    return error.issues.map(({ path, line, message, file }) => ({
      path,
      line,
      message,
      file: file?.replace(`${dir}/`, ''),
    }));
  }

  it('loads the base scenario when nothing is broken', async () => {
    const dir = await write(BASE);
    await expect(loadScenario(dir, { now })).resolves.toMatchObject({ id: 'broken', objects: [], logs: [] });
  });

  it('throws SCENARIO_NOT_FOUND naming scenario.yaml when the folder has none', async () => {
    const { error, dir } = await failure(undefined);
    expect(error.code).toBe('SCENARIO_NOT_FOUND');
    expect(error.message).toContain(join(dir, 'scenario.yaml'));
  });

  it('reports the id line when the id differs from the folder name', async () => {
    expect(await issues(edit({ 1: 'id: other' }))).toEqual([
      { path: 'id', line: 1, file: 'scenario.yaml', message: "id 'other' differs from the folder name 'broken'" },
    ]);
  });

  it('reports the id line when the id has characters outside [a-z0-9-]', async () => {
    expect(await issues(edit({ 1: 'id: Broken_1' }))).toMatchObject([
      { path: 'id', line: 1, message: "expected an id of lower-case letters, digits and dashes, found 'Broken_1'" },
    ]);
  });

  it('reports the class line when the class is unknown', async () => {
    expect(await issues(edit({ 3: 'class: latency' }))).toMatchObject([
      {
        path: 'class',
        line: 3,
        message: expect.stringContaining("tail-latency | gpu-contention | runaway-cost | kubernetes, found 'latency'"),
      },
    ]);
  });

  it('reports the rootCause line when the cause is not in the vocabulary', async () => {
    expect(await issues(edit({ 12: '  rootCause: gpu-melted' }))).toMatchObject([
      { path: 'expected.rootCause', line: 12 },
    ]);
  });

  it('reports the mention when a mention is the cause id itself', async () => {
    expect(await issues(edit({ 13: '  mentions: [pod-a, CPU-Throttling]' }))).toEqual([
      {
        path: 'expected.mentions[1]',
        line: 13,
        file: 'scenario.yaml',
        message: "mention 'CPU-Throttling' is the cause id itself",
      },
    ]);
  });

  it('reports the second entry when two series have the same metric and labels', async () => {
    const found = await issues(
      edit({}, ['<drop>']).toSpliced(10, 0, `  - series: 'up{ job = "a", }'`, "    values: '2x3'"),
    );
    expect(found).toEqual([
      { path: 'series[1].series', line: 11, file: 'scenario.yaml', message: 'the same series as series[0] (line 9)' },
    ]);
  });

  it('reports bad intervals and startsAgo with their lines', async () => {
    const found = await issues(edit({ 4: 'interval: 0s', 7: '  startsAgo: ten minutes' }));
    expect(found.map(({ path, line }) => [path, line])).toEqual([
      ['interval', 4],
      ['alert.startsAgo', 7],
    ]);
    expect(found[0]?.message).toBe('must be longer than 0');
    expect(found[1]?.message).toContain("Invalid duration 'ten minutes'");
    // A unitless number is no Prometheus duration.
    expect(await issues(edit({ 4: 'interval: 30' }))).toMatchObject([
      { path: 'interval', line: 4, message: 'expected a Prometheus duration such as 30s, found number 30' },
    ]);
  });

  it('reports unknown keys at their own lines when keys are misspelt', async () => {
    const found = await issues(edit({ 7: '  startsAgo: 10m', 10: "    value: '1x10'" }, ['colour: red']));
    expect(found).toEqual([
      {
        path: 'series[0].values',
        line: 9,
        file: 'scenario.yaml',
        message: 'missing: expected promtool series notation such as "1+1x10 5x3"',
      },
      { path: 'series[0].value', line: 10, file: 'scenario.yaml', message: "unknown key 'value'" },
      { path: 'colour', line: 14, file: 'scenario.yaml', message: "unknown key 'colour'" },
    ]);
  });

  it('names the term and character when series values are malformed', async () => {
    const { error } = await failure(edit({ 10: "    values: '1x10 2+x3'" }));
    expect(error.issues).toMatchObject([
      { path: 'series[0].values', line: 10, message: expect.stringContaining("term 2 '2+x3'") },
    ]);
    expect(error.issues[0]?.message).toContain('(at character 8)');
    expect(error.issues[0]?.fix).toContain('a+bxn');
  });

  it('reports a selector error when the series notation is malformed', async () => {
    expect(await issues(edit({ 9: `  - series: 'up{job=a}'` }))).toMatchObject([
      { path: 'series[0].series', line: 9, message: expect.stringContaining('expected a quoted label value') },
    ]);
  });

  it('reports a series that has no samples when every value is missing', async () => {
    expect(await issues(edit({ 10: "    values: '_x5'" }))).toMatchObject([
      { path: 'series[0].values', line: 10, message: "'_x5' gives no samples" },
    ]);
  });

  it('reads a bare YAML number as one sample when values is not quoted', async () => {
    const dir = await write(edit({ 10: '    values: 010' }));
    expect((await loadScenario(dir, { now })).series[0]?.values).toEqual([8]);
  });

  it('reports missing fields and wrong types with the nearest line', async () => {
    const found = await issues(edit({ 2: '<drop>', 6: '  labels: {severity: critical, gpu: 0}' }));
    expect(found).toEqual([
      { path: 'title', line: 1, file: 'scenario.yaml', message: 'missing: expected a one-line title' },
      {
        path: 'alert.labels.gpu',
        line: 5,
        file: 'scenario.yaml',
        message: 'expected a map of label names to string values, found number 0',
      },
    ]);
  });

  it('reports a missing alertname when the labels pass their types', async () => {
    expect(await issues(edit({ 6: '  labels: {severity: critical}' }))).toMatchObject([
      { path: 'alert.labels', line: 6, message: 'the alert has no alertname label' },
    ]);
  });

  it('reports YAML syntax errors with their line when scenario.yaml does not parse', async () => {
    expect(await issues(edit({ 3: 'class: tail-latency: x' }))).toMatchObject([
      { path: '', line: 3, message: expect.stringMatching(/^YAML syntax/) },
    ]);
    expect(await issues(edit({}, ['interval: 1m']))).toMatchObject([
      { line: 14, message: 'YAML syntax: Map keys must be unique' },
    ]);
  });

  it('reports an empty scenario.yaml when the file has no content', async () => {
    expect(await issues(['# nothing yet'])).toMatchObject([{ line: 1, message: 'scenario.yaml is empty' }]);
  });

  it('reports log entry problems at their lines when files are missing or fields conflict', async () => {
    const logs = [
      'logs:', // 14
      '  - {namespace: llm, pod: a, container: c, file: logs/missing.log}', // 15
      '  - {namespace: llm, pod: b, container: c, file: logs/b.log, text: "x"}', // 16
      '  - {namespace: llm, pod: c, container: c}', // 17
      '  - {namespace: llm, pod: d, container: c, text: "one"}', // 18
      '  - {namespace: llm, pod: d, container: c, text: "two"}', // 19
      '  - {namespace: llm, pod: e, container: c, previous: "yes", text: "x"}', // 20
      '  - {namespace: llm, pod: f, container: c, file: ../../outside.log}', // 21
      '  - {namespace: llm, pod: g, container: c, text: "now-1.5h boom"}', // 22
    ];
    const found = await issues(edit({}, logs), { 'logs/b.log': 'b\n' });
    expect(found.map(({ path, line }) => [path, line])).toEqual([
      ['logs[0].file', 15],
      ['logs[1]', 16],
      ['logs[2]', 17],
      ['logs[4]', 19],
      ['logs[5].previous', 20],
      ['logs[6].file', 21],
      ['logs[7].text', 22],
    ]);
    expect(found[0]?.message).toContain('log file logs/missing.log not found');
    expect(found[1]?.message).toBe('the entry has both file and text');
    expect(found[2]?.message).toBe('the entry has neither file nor text');
    expect(found[3]?.message).toContain('the first is logs[3]');
    expect(found[5]?.message).toContain('outside the scenario folder');
  });

  it('reports a missing kubernetes file at the field line when the field names one', async () => {
    expect(await issues(edit({}, ['kubernetes: k8s.yaml']))).toMatchObject([
      { path: 'kubernetes', line: 14, message: expect.stringContaining('k8s.yaml not found') },
    ]);
  });

  it('reports problems inside kubernetes.yaml with that file and line when objects are refused', async () => {
    const kubernetes = [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: llm}',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: token}',
    ].join('\n');
    // No `kubernetes:` field: kubernetes.yaml is read because the folder has one.
    expect(await issues(BASE, { 'kubernetes.yaml': kubernetes })).toEqual([
      { path: 'documents[1].kind', line: 6, file: 'kubernetes.yaml', message: 'Secrets never appear in scenarios' },
    ]);
  });

  it('collects every problem in one error, scenario.yaml first and in line order', async () => {
    const { error } = await failure(
      edit({ 1: 'id: Nope', 4: 'interval: 30', 12: '  rootCause: nope' }, ['kubernetes: kubernetes.yaml']),
      {
        'kubernetes.yaml': 'apiVersion: v1\nkind: Ingress\nmetadata: {name: i}\n',
      },
    );
    expect(error.issues.map((issue) => `${issue.file?.split('/').at(-1)}:${issue.line}`)).toEqual([
      'scenario.yaml:1',
      'scenario.yaml:4',
      'scenario.yaml:12',
      'kubernetes.yaml:2',
    ]);
    expect(error.message).toContain('is invalid (4 problems)');
    expect(error.message).toContain('scenario.yaml:4: interval:');
    expect(error.details).toEqual({ id: 'Nope' });
  });
});
