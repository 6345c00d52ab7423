/**
 * What the serve benchmarks share: the CLI compiled as shipped, `holmes serve` in a child process,
 * and the load (Alertmanager webhooks over keep-alive connections, closed or open loop) with its
 * figures. Several servers (replicas) share the load round-robin.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, copyFile, symlink, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { alertFingerprint } from '../../../src/core/alert-fingerprint.js';
import { startWatchdog } from '../../../src/lab/prometheus/watchdog.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
export const TOKEN = 'bench-token-7c1f9a';
export const CONNECTIONS = 32;

/**
 * A CLI child process in `dir` (its HOME), stderr kept; if this process dies first, the child and
 * the temp dir go with it.
 */
export function spawnWatched(args: string[], dir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watchdog = startWatchdog(dir);
  watchdog.watch(child.pid);
  child.once('exit', () => watchdog.stop());
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, stderr: () => stderr };
}

export interface Server {
  url: string;
  child: ChildProcess;
  /** performance.now() when the process was spawned. */
  started: number;
}

/**
 * The CLI compiled as `npm run build` does, into `dir/dist`, beside links to what it reads at run
 * time (package.json, toolsets, runbooks, node_modules). Falls back to tsx if nothing was emitted.
 */
export async function buildCli(dir: string): Promise<string[]> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const started = performance.now();
  // Type errors elsewhere in a work tree do not stop tsc from emitting; the emitted code is what runs.
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', join(ROOT, 'scripts/tsconfig.build.json'), '--outDir', join(dir, 'dist')],
    { maxBuffer: 16 * 1024 * 1024 },
  ).catch(() => undefined);
  const main = join(dir, 'dist/cli/main.js');
  if (
    !(await access(main).then(
      () => true,
      () => false,
    ))
  ) {
    process.stdout.write('(tsc emitted nothing: the server runs under tsx, which adds some 75 MB of RSS)\n');
    return ['--import', TSX, join(ROOT, 'src/cli/main.ts')];
  }
  await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
  for (const name of ['node_modules', 'toolsets', 'runbooks']) await symlink(join(ROOT, name), join(dir, name));
  process.stdout.write(`(server compiled with tsc in ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  return [main];
}

export async function startServer(
  dir: string,
  cli: string[],
  name = 'holmes',
  sources: string[] = [],
  /** Lines under `storage:` after its path (`  postgres: …`). */
  storage: string[] = [],
): Promise<Server> {
  const config = join(dir, `${name}.yaml`);
  await writeFile(
    config,
    [
      ...sources,
      'storage:',
      `  path: ${join(dir, `${name}.db`)}`,
      ...storage,
      'server:',
      '  port: 0',
      '  tokens: [{ env: BENCH_SERVER_TOKEN }]',
      '  maxQueue: 100000',
      '  concurrency: 2',
      'log:',
      '  level: warn',
      '',
    ].join('\n'),
  );
  const started = performance.now();
  const { child, stderr: stderrText } = spawnWatched([...cli, '--config', config, '--json', 'serve'], dir, {
    BENCH_SERVER_TOKEN: TOKEN,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`holmes serve exited (${code}): ${stderrText()}`)));
  });
  // A server that dies under load says why, instead of leaving only the client's ECONNRESET.
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      process.stdout.write(`(holmes serve ${name} exited ${code ?? signal}: ${stderrText().slice(-2_000)})\n`);
  });
  return { url, child, started };
}

export async function stop(server: Pick<Server, 'child'> | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

export function webhook(groupKey: string, labels: Record<string, string>): string {
  const alert = {
    status: 'firing',
    labels,
    annotations: { summary: 'bench' },
    startsAt: '2026-11-26T06:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: alertFingerprint(labels),
  };
  return JSON.stringify({
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'holmes',
    groupLabels: { alertname: labels.alertname },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [alert],
  });
}

/** The webhook route of each server; requests go round-robin, as a load balancer in front of replicas would. */
function webhookTargets(url: string | string[]): URL[] {
  return (Array.isArray(url) ? url : [url]).map((each) => new URL('/api/v1/alertmanager', each));
}

export interface BlastResult {
  seconds: number;
  latenciesMs: number[];
  accepted: number;
  failed: number;
}

/** One POST; resolves when the whole answer is read. */
export function post(agent: Agent, target: URL, payload: string, result: BlastResult, since: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const outgoing = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          result.latenciesMs.push(performance.now() - since);
          if (response.statusCode === 200) result.accepted += (JSON.parse(text) as { accepted: number }).accepted;
          else result.failed += 1;
          resolve();
        });
      },
    );
    // A connection the server dropped (a keep-alive socket closed as the request left) counts as refused.
    outgoing.on('error', () => {
      result.failed += 1;
      resolve();
    });
    outgoing.end(payload);
  });
}

/**
 * Open loop: request i leaves at start + i / rate whatever the answers do, so a slow server
 * cannot slow the sender down and hide its queueing. Latency counts from the moment the request
 * is written: a stall of this process (a GC) delays sending, which is not the server's doing.
 */
export async function steady(
  url: string | string[],
  rate: number,
  count: number,
  body: (index: number) => string,
): Promise<BlastResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const targets = webhookTargets(url);
  const pace = async (from: number, to: number, result: BlastResult) => {
    const inFlight: Array<Promise<void>> = [];
    const started = performance.now();
    for (let index = from; index < to;) {
      const due = Math.min(to, from + Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      for (; index < due; index += 1)
        inFlight.push(post(agent, targets[index % targets.length]!, body(index), result, performance.now()));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
    result.seconds = (performance.now() - started) / 1000;
  };
  // One second at the same rate first: the connections a long-running Alertmanager keeps open.
  await pace(0, rate, { seconds: 0, latenciesMs: [], accepted: 0, failed: 0 });
  const result: BlastResult = { seconds: 0, latenciesMs: [], accepted: 0, failed: 0 };
  await pace(rate, rate + count, result);
  agent.destroy();
  return result;
}

/** Closed loop: CONNECTIONS keep-alive connections, each posting its next webhook as soon as one is answered. */
export async function blast(
  url: string | string[],
  count: number,
  body: (index: number) => string,
): Promise<BlastResult> {
  const targets = webhookTargets(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const result: BlastResult = { seconds: 0, latenciesMs: [], accepted: 0, failed: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < count) {
        const index = next++;
        await post(agent, targets[index % targets.length]!, body(index), result, performance.now());
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
