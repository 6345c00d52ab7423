import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HolmesError } from '../../core/errors.js';
import type { ScenarioSeries } from '../scenario.js';
import { backfill } from './backfill.js';
import { findBinary } from './find-binary.js';
import { launchPrometheus } from './launch-prometheus.js';
import { staleMarkers } from './stale-markers.js';
import { stopProcess } from './stop-process.js';
import { tailLines } from './tail-lines.js';
import { toOpenMetrics } from './to-open-metrics.js';
import { startWatchdog, type Watchdog } from './watchdog.js';
import { waitForSeries } from './wait-for-series.js';
import { writeStaleMarkers } from './write-stale-markers.js';

export interface StartPrometheusOptions {
  series: ScenarioSeries[];
  /** The moment the samples are right-aligned to. */
  now: Date;
  intervalMs: number;
  /** Loopback only: the lab never listens beyond this machine. */
  host?: '127.0.0.1';
  /** Give up (and clean up) when not ready with all series by then. Default 30 s. */
  timeoutMs?: number;
}

/** A running lab Prometheus holding a scenario's series. */
export interface LabPrometheus {
  /** e.g. `http://127.0.0.1:40123`, no trailing slash. */
  url: string;
  /** The temp dir (`holmes-lab-…`) with series.om, prometheus.yml, prometheus.log and tsdb/. */
  dataDir: string;
  pid: number;
  /** Stops Prometheus (SIGTERM, SIGKILL after 5 s) and removes `dataDir`. Safe to call twice. */
  close(): Promise<void>;
}

const PROMETHEUS_BIN_VARIABLE = 'HOLMES_PROMETHEUS_BIN';
const PROMTOOL_BIN_VARIABLE = 'HOLMES_PROMTOOL_BIN';

/**
 * Starts a real Prometheus whose TSDB holds `series`: promtool backfills blocks before start,
 * and this resolves once the series API lists every series. Nothing is scraped. Staleness
 * markers (if any) follow through remote write, so only then is the receiver enabled (loopback
 * only) with an out-of-order window. The process and temp dir end with close(), or with this
 * process however it ends (see startWatchdog; registerCleanup makes that graceful).
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<LabPrometheus> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const host = options.host ?? '127.0.0.1';
  const timing = { now: options.now, intervalMs: options.intervalMs };
  // Scenario mistakes surface before any file or process exists.
  const openMetrics = toOpenMetrics(options.series, timing);
  const markers = staleMarkers(options.series, timing);
  const expectedSeries = options.series.filter((entry) => entry.values.some((value) => value !== null)).length;
  const [prometheus, promtool] = await Promise.all([
    findBinary('prometheus', PROMETHEUS_BIN_VARIABLE),
    findBinary('promtool', PROMTOOL_BIN_VARIABLE),
  ]);

  const dataDir = await mkdtemp(join(tmpdir(), 'holmes-lab-'));
  const watchdog = startWatchdog(dataDir);
  const files = {
    input: join(dataDir, 'series.om'),
    configFile: join(dataDir, 'prometheus.yml'),
    logFile: join(dataDir, 'prometheus.log'),
    tsdbDir: join(dataDir, 'tsdb'),
  };
  let child: ChildProcess | undefined;
  try {
    await writeFile(files.input, openMetrics);
    await mkdir(files.tsdbDir);
    await backfill({ promtool, input: files.input, tsdbDir: files.tsdbDir, watchdog });
    const oldestMarker = markers.reduce(
      (oldest, entry) => entry.samples.reduce((min, sample) => Math.min(min, sample.timestampMs), oldest),
      Infinity,
    );
    await writeFile(
      files.configFile,
      prometheusConfig(markers.length > 0 ? options.now.getTime() - oldestMarker : undefined),
    );
    const launched = await launchPrometheus({
      prometheus,
      ...files,
      host,
      remoteWriteReceiver: markers.length > 0,
      watchdog,
      deadline,
    });
    child = launched.child;
    try {
      await writeStaleMarkers(launched.url, markers);
      await waitForSeries(launched.url, expectedSeries, deadline);
    } catch (error) {
      const log = await readFile(files.logFile, 'utf8').catch(() => '');
      const message = error instanceof Error ? error.message : String(error);
      throw new HolmesError('LAB_START_FAILED', `${message} Prometheus log: ${tailLines(log)}`, {
        cause: error,
        fix: HolmesError.isInstance(error) ? error.fix : 'Read the Prometheus log above.',
      });
    }
    return createLabPrometheus(launched.url, dataDir, launched.child, watchdog);
  } catch (error) {
    if (child !== undefined) await stopProcess(child);
    watchdog.stop();
    await removeDir(dataDir);
    if (HolmesError.isInstance(error)) throw error;
    throw new HolmesError(
      'LAB_START_FAILED',
      `The lab's Prometheus could not start: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        fix: `Check that ${tmpdir()} is writable and has free space.`,
      },
    );
  }
}

function createLabPrometheus(url: string, dataDir: string, child: ChildProcess, watchdog: Watchdog): LabPrometheus {
  let closing: Promise<void> | undefined;
  return {
    url,
    dataDir,
    pid: child.pid ?? 0,
    close() {
      // The first call's synchronous part sends SIGTERM, which is all an `exit` handler can do.
      closing ??= (async () => {
        await stopProcess(child);
        watchdog.stop();
        await removeDir(dataDir);
      })();
      return closing;
    },
  };
}

/**
 * Nothing is scraped. With staleness markers, the out-of-order window must reach from the
 * newest sample back to the oldest marker (plus an hour to spare), or Prometheus refuses them
 * as too old; `storage.tsdb` is read by Prometheus 2.39 and later.
 */
function prometheusConfig(markerSpanMs: number | undefined): string {
  const lines = ['# Written by the Holmes lab: no scrape targets; the TSDB holds one scenario.', 'scrape_configs: []'];
  if (markerSpanMs !== undefined) {
    const seconds = Math.ceil(Math.max(markerSpanMs, 0) / 1000) + 3600;
    lines.push('storage:', '  tsdb:', `    out_of_order_time_window: ${seconds}s`);
  }
  return `${lines.join('\n')}\n`;
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
