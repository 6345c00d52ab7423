import { spawn } from 'node:child_process';
import { HolmesError } from '../../core/errors.js';
import { tailLines } from './tail-lines.js';
import type { Watchdog } from './watchdog.js';

export interface BackfillOptions {
  promtool: string;
  /** The OpenMetrics file. */
  input: string;
  /** The TSDB folder Prometheus will open. */
  tsdbDir: string;
  watchdog: Watchdog;
}

// promtool rounds this down to the largest block range it knows (2h·3⁹, about 4.5 years): one
// block, so one pass over the file instead of one per 2-hour window. Prometheus 2.42 loads blocks
// of any length and, since 2.39, accepts overlapping ones without a flag.
const MAX_BLOCK_DURATION = '100000h';

/** Writes TSDB blocks from an OpenMetrics file with promtool; failure → LAB_START_FAILED. */
export async function backfill(options: BackfillOptions): Promise<void> {
  const args = [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    '--quiet',
    `--max-block-duration=${MAX_BLOCK_DURATION}`,
    options.input,
    options.tsdbDir,
  ];
  const child = spawn(options.promtool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  options.watchdog.watch(child.pid);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-16_384);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  options.watchdog.watch(undefined);
  if (outcome.code === 0) return;
  const how =
    outcome.error?.message ?? (outcome.signal ? `was killed by ${outcome.signal}` : `exited with ${outcome.code}`);
  throw new HolmesError(
    'LAB_START_FAILED',
    `promtool could not backfill the scenario's series (${how}): ${tailLines(output)}`,
    {
      fix: 'Correct the series or value promtool names; if promtool itself failed, reinstall it with `apt-get install -y --no-install-recommends prometheus`.',
      details: { promtool: options.promtool, args },
    },
  );
}
