/**
 * `holmes serve` intake: the server runs in a child process (so its RSS is its own) on a temp
 * store; this process is the load, on loopback. Figures: persisted alerts per second and the
 * acknowledgement latency, the investigations a storm of 10,000 alerts in 20 groups starts, and
 * the server's peak RSS. The server is the compiled CLI, as shipped (tsc into a temp dir): under
 * tsx it would also carry the transpiler and its caches, some 75 MB.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertFingerprint } from '../../src/core/alert-fingerprint.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import {
  blast,
  buildCli,
  CONNECTIONS,
  post,
  quantile,
  spawnWatched,
  startServer,
  steady,
  stop,
  TOKEN,
  webhook,
  type BlastResult,
  type Server,
} from './lib/serve-load.js';
const INTAKE_ALERTS = 20_000;
const INTAKE_GROUPS = 50;
const STEADY_RATE = 2_000;
const STEADY_SECONDS = 5;
const STORM_ALERTS = 10_000;
const STORM_GROUPS = 20;

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * A body of 10,000 alerts without groupKey (a hand-made notification), while /healthz is asked
 * every few milliseconds: how long the answer takes, the longest health check meanwhile, and what
 * the store grew by.
 */
async function noGroupKeyBody(server: Server, dir: string): Promise<void> {
  const alerts = Array.from({ length: 10_000 }, (_, index) => ({
    labels: { alertname: 'NoGroupKey', namespace: 'bench', pod: `ngk-${index}` },
  }));
  const body = JSON.stringify({ version: '4', status: 'firing', alerts });
  const size = () =>
    ['holmes.db', 'holmes.db-wal'].reduce((sum, name) => {
      try {
        return sum + statSync(join(dir, name)).size;
      } catch {
        return sum;
      }
    }, 0);
  const before = size();
  const started = performance.now();
  let done = false;
  const answer = fetch(new URL('/api/v1/alertmanager', server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  }).then(async (response) => {
    done = true;
    return { status: response.status, elapsed: performance.now() - started, text: await response.text() };
  });
  const health: number[] = [];
  while (!done) {
    const asked = performance.now();
    await fetch(new URL('/healthz', server.url));
    health.push(performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const outcome = await answer;
  process.stdout.write(
    `one body of 10,000 alerts without groupKey (${(body.length / 1024).toFixed(0)} KB): answered ${outcome.status} in ${outcome.elapsed.toFixed(0)} ms; /healthz meanwhile max ${Math.max(...health).toFixed(1)} ms over ${health.length} checks; store grew ${((size() - before) / 1024 / 1024).toFixed(1)} MB\n`,
  );
}

/**
 * A fresh server whose sources are a scenario's lab: the scenario's alert is posted as soon as it
 * listens, while another sender delivers a steady 200 alerts/s; the acks of that stream during
 * the first investigation (which loads the tokenizer and meets every source for the first time).
 */
/**
 * The lab in a process of its own (`holmes lab up --json`): its Kubernetes API endpoint would
 * otherwise share this process's event loop with the load and distort the acks measured.
 */
async function startLabProcess(cli: string[], dir: string, scenarioDir: string) {
  const { child, stderr } = spawnWatched([...cli, '--json', 'lab', 'up', scenarioDir], dir, { TMPDIR: dir });
  const info = await new Promise<{ prometheusUrl: string; kubeApiUrl: string }>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      try {
        resolve(JSON.parse(stdout) as { prometheusUrl: string; kubeApiUrl: string });
      } catch {
        // Not complete yet.
      }
    });
    child.once('exit', (code) => reject(new Error(`holmes lab up exited (${code}): ${stderr()}`)));
  });
  return { ...info, child };
}

async function firstInvestigation(dir: string, cli: string[]): Promise<void> {
  const scenarioDir = fileURLToPath(new URL('../../evals/scenarios/chat-api-p99-shared-gpu', import.meta.url));
  const scenario = await loadScenario(scenarioDir);
  const lab = await startLabProcess(cli, dir, scenarioDir);
  let server: Server | undefined;
  try {
    server = await startServer(dir, cli, 'first', [
      'prometheus:',
      `  url: ${lab.prometheusUrl}`,
      'kubernetes:',
      `  server: ${lab.kubeApiUrl}`,
    ]);
    const listening = performance.now() - server.started;
    const { url } = server;
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const target = new URL('/api/v1/alertmanager', url);
    // Open loop at 200/s (one request every 5 ms), every alert of a stream in one group, until `until`.
    const pace = async (name: string, until: () => boolean) => {
      const result: BlastResult = { seconds: 0, latenciesMs: [], accepted: 0, failed: 0 };
      const inFlight: Array<Promise<void>> = [];
      const from = performance.now();
      for (let index = 0; !until(); index += 1) {
        const wait = from + index * 5 - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const payload = webhook(name, { alertname: 'During', namespace: 'bench', pod: `${name}-${index}` });
        inFlight.push(post(agent, target, payload, result, performance.now()));
      }
      await Promise.all(inFlight);
      result.seconds = (performance.now() - from) / 1000;
      return result;
    };
    // The scenario's alert in a group of its own, investigated while the stream runs.
    const investigateWhileStreaming = async (groupKey: string, startsAt: string) => {
      const alert = { ...scenario.alert, startsAt, fingerprint: alertFingerprint(scenario.alert.labels) };
      const posted = await fetch(target, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: '4', groupKey, status: 'firing', alerts: [alert] }),
      });
      const { investigationId } = (await posted.json()) as { investigationId: string };
      const began = performance.now();
      let finished: { state: string; seconds: number } | undefined;
      void (async () => {
        for (;;) {
          const response = await fetch(new URL(`/api/v1/investigations/${investigationId}`, url), {
            headers: { authorization: `Bearer ${TOKEN}` },
          });
          const { state } = (await response.json()) as { state: string };
          if (!['queued', 'running'].includes(state)) return { state, seconds: (performance.now() - began) / 1000 };
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })().then((outcome) => (finished = outcome));
      const stream = await pace(`during-${groupKey}`, () => finished !== undefined);
      return { stream, finished: finished! };
    };
    const first = await investigateWhileStreaming('first', scenario.alert.startsAt);
    // The same stream once nothing is being investigated: what the machine gives at that rate anyway.
    const idleUntil = performance.now() + Math.min(10_000, first.finished.seconds * 1000);
    const idle = await pace('idle', () => performance.now() >= idleUntil);
    // A second investigation of the same alert: what is owed to it being the first after a start.
    const later = await investigateWhileStreaming('later', new Date().toISOString());
    agent.destroy();
    const figures = (result: BlastResult) =>
      `p50 ${quantile(result.latenciesMs, 0.5).toFixed(1)} ms, p99 ${quantile(result.latenciesMs, 0.99).toFixed(1)} ms`;
    process.stdout.write(
      `first investigation after a start (listening ${listening.toFixed(0)} ms after spawn; ${first.finished.state} in ${first.finished.seconds.toFixed(1)} s): ack latency of ${first.stream.latenciesMs.length} webhooks at 200/s meanwhile ${figures(first.stream)} (target p99 ≤ 50 ms), max ${Math.max(...first.stream.latenciesMs).toFixed(1)} ms${first.stream.failed ? `; ${first.stream.failed} refused` : ''}; the same stream with no investigation running: ${figures(idle)}; during a later investigation of the same alert (${later.finished.seconds.toFixed(1)} s): ${figures(later.stream)}\n`,
    );
  } finally {
    await stop(server);
    await stop(lab);
  }
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'holmes-bench-serve-'));
  let server: Server | undefined;
  try {
    const cli = await buildCli(dir);
    await firstInvestigation(dir, cli);
    server = await startServer(dir, cli);
    const { url } = server;
    // Warm-up: JIT, prepared statements, connections.
    await blast(url, 1_000, (index) => webhook('warm-up', { alertname: 'WarmUp', pod: `warm-${index}` }));

    // Throughput: as fast as the server answers.
    const intake = await blast(url, INTAKE_ALERTS, (index) =>
      webhook(`{}:{alertname="Intake${index % INTAKE_GROUPS}"}`, {
        alertname: `Intake${index % INTAKE_GROUPS}`,
        namespace: 'bench',
        pod: `pod-${index}`,
      }),
    );
    process.stdout.write(
      `intake: ${intake.accepted} alerts persisted in ${intake.seconds.toFixed(2)} s over ${CONNECTIONS} connections = ${(intake.accepted / intake.seconds).toFixed(0)}/s (target ≥ 2000/s)${intake.failed ? `; ${intake.failed} refused` : ''}; ack latency at that saturation p50 ${quantile(intake.latenciesMs, 0.5).toFixed(1)} ms, p99 ${quantile(intake.latenciesMs, 0.99).toFixed(1)} ms\n`,
    );
    // Latency: the target rate, offered steadily.
    const paced = await steady(url, STEADY_RATE, STEADY_RATE * STEADY_SECONDS, (index) =>
      webhook(`{}:{alertname="Steady${index % INTAKE_GROUPS}"}`, {
        alertname: `Steady${index % INTAKE_GROUPS}`,
        namespace: 'bench',
        pod: `steady-${index}`,
      }),
    );
    process.stdout.write(
      `ack latency at ${STEADY_RATE} alerts/s for ${STEADY_SECONDS} s (after 1 s at that rate): p50 ${quantile(paced.latenciesMs, 0.5).toFixed(1)} ms, p99 ${quantile(paced.latenciesMs, 0.99).toFixed(1)} ms (target ≤ 50 ms), max ${Math.max(...paced.latenciesMs).toFixed(1)} ms; ${paced.accepted} persisted${paced.failed ? `, ${paced.failed} refused` : ''}\n`,
    );

    const stormStart = new Date().toISOString();
    // Every alert of the storm in its own notification, its group's key on each: the worst case.
    const storm = await blast(url, STORM_ALERTS, (index) =>
      webhook(`{}:{alertname="Storm${index % STORM_GROUPS}"}`, {
        alertname: `Storm${index % STORM_GROUPS}`,
        namespace: 'bench',
        pod: `storm-${index}`,
      }),
    );
    const listed = await fetch(`${url}/api/v1/investigations?since=${encodeURIComponent(stormStart)}&limit=1000`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const investigations = (
      (await listed.json()) as { investigations: Array<{ groupKey: string }> }
    ).investigations.filter((row) => row.groupKey.includes('Storm'));
    process.stdout.write(
      `storm: ${STORM_ALERTS} alerts in ${STORM_GROUPS} groups (${storm.accepted} persisted in ${storm.seconds.toFixed(2)} s, ack p99 ${quantile(storm.latenciesMs, 0.99).toFixed(1)} ms) → ${investigations.length} investigations started (target ${STORM_GROUPS})\n`,
    );
    process.stdout.write(`server peak RSS (VmHWM): ${peakRssMb(server.child.pid!).toFixed(0)} MB (target ≤ 300 MB)\n`);
    await noGroupKeyBody(server, dir);
  } finally {
    await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
}
