import { HolmesError } from '../../core/errors.js';

export interface SampleTimeOptions {
  now: Date;
  intervalMs: number;
}

/** Milliseconds of sample `index` of `count`, right-aligned: the last sample lies at `now`. */
export function sampleTime(options: SampleTimeOptions, count: number, index: number): number {
  return options.now.getTime() - (count - 1 - index) * options.intervalMs;
}

/** Rejects a moment or interval no Prometheus timestamp can express, before any work starts. */
export function checkSampleTimeOptions(options: SampleTimeOptions): void {
  if (!Number.isInteger(options.intervalMs) || options.intervalMs <= 0) {
    throw new HolmesError(
      'SCENARIO_INVALID',
      `Interval ${options.intervalMs} ms is not a positive whole number of milliseconds.`,
      {
        fix: 'Set `interval` to a Prometheus duration such as 30s.',
      },
    );
  }
  if (Number.isNaN(options.now.getTime()) || options.now.getTime() < 0) {
    throw new HolmesError(
      'SCENARIO_INVALID',
      `The moment of investigation ${String(options.now)} is not a valid time after 1970.`,
      {
        fix: 'Set `now` to an RFC 3339 time such as 2025-01-01T12:00:00Z.',
      },
    );
  }
}
