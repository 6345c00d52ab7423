import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { HolmesError } from '../../core/errors.js';
import { freePort } from './free-port.js';
import { hasExited, stopProcess } from './stop-process.js';
import { tailLines } from './tail-lines.js';
import type { Watchdog } from './watchdog.js';

export interface LaunchPrometheusOptions {
  prometheus: string;
  configFile: string;
  tsdbDir: string;
  /** Prometheus writes its log here rather than to a pipe nobody may be reading. */
  logFile: string;
  host: string;
  remoteWriteReceiver: boolean;
  watchdog: Watchdog;
  /** Epoch ms after which starting is given up. */
  deadline: number;
}

export interface LaunchedPrometheus {
  child: ChildProcess;
  url: string;
}

const PORT_ATTEMPTS = 5;
const POLL_MS = 20;

/**
 * Starts Prometheus on a free loopback port and resolves once `/-/ready` answers 200. A port
 * taken between choosing and binding is retried; any other exit, or the deadline, kills the
 * process and throws LAB_START_FAILED with the log's tail.
 */
export async function launchPrometheus(options: LaunchPrometheusOptions): Promise<LaunchedPrometheus> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort(options.host);
    const url = `http://${options.host}:${port}`;
    const { child, spawnError } = spawnPrometheus(options, `${options.host}:${port}`);
    const outcome = await waitReady(child, url, options.deadline);
    if (outcome === 'ready') return { child, url };
    await stopProcess(child);
    options.watchdog.watch(undefined);
    const log = await readFile(options.logFile, 'utf8').catch(() => '');
    if (outcome === 'exited' && log.includes('address already in use') && attempt < PORT_ATTEMPTS) continue;
    const what =
      outcome === 'timeout'
        ? 'was not ready in time'
        : `exited (${spawnError()?.message ?? child.exitCode ?? child.signalCode})`;
    throw new HolmesError('LAB_START_FAILED', `Prometheus ${what} on ${url}: ${tailLines(log)}`, {
      fix: 'Read the Prometheus log above; check that Prometheus 2.42 or later is installed (`prometheus --version`).',
      details: { url, attempt },
    });
  }
}

function spawnPrometheus(
  options: LaunchPrometheusOptions,
  listenAddress: string,
): { child: ChildProcess; spawnError: () => Error | undefined } {
  const args = [
    `--config.file=${options.configFile}`,
    `--storage.tsdb.path=${options.tsdbDir}`,
    `--web.listen-address=${listenAddress}`,
    // Retention counts back from the newest block, not the clock; keep every scenario whole.
    '--storage.tsdb.retention.time=100y',
    '--log.level=warn',
  ];
  if (options.remoteWriteReceiver) args.push('--web.enable-remote-write-receiver');
  const log = openSync(options.logFile, 'w');
  try {
    const child = spawn(options.prometheus, args, { stdio: ['ignore', log, log] });
    let failure: Error | undefined;
    child.on('error', (error) => {
      failure = error;
    });
    options.watchdog.watch(child.pid);
    child.once('exit', () => options.watchdog.watch(undefined));
    return { child, spawnError: () => failure };
  } finally {
    closeSync(log);
  }
}

async function waitReady(child: ChildProcess, url: string, deadline: number): Promise<'ready' | 'exited' | 'timeout'> {
  while (Date.now() < deadline) {
    if (child.pid === undefined || hasExited(child)) return 'exited';
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return 'ready';
    } catch {
      // Not listening yet.
    }
    await sleep(POLL_MS);
  }
  return 'timeout';
}
