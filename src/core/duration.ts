import { HolmesError } from './errors.js';

/** Prometheus duration units, largest first, in milliseconds (`y` is 365 days, as Prometheus counts it). */
const UNITS = [
  ['y', 365 * 24 * 60 * 60 * 1000],
  ['w', 7 * 24 * 60 * 60 * 1000],
  ['d', 24 * 60 * 60 * 1000],
  ['h', 60 * 60 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
] as const;

// Each unit at most once, largest first, as in prometheus/common model.ParseDuration.
const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

// Prometheus keeps durations as int64 nanoseconds; anything longer does not exist there.
const MAX_MS = Number(2n ** 63n - 1n) / 1e6;

const FIX =
  'Write a Prometheus duration: whole numbers with units ms, s, m, h, d, w, y, largest first, e.g. 30s, 10m, 1h30m, 2d.';

/** Parses a Prometheus duration (`30s`, `1h30m`, `0`) into milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (text === '0') return 0;
  if (text === '' || match === null) {
    throw new HolmesError('USAGE', `Invalid duration '${text}': expected a Prometheus duration such as 30s or 1h30m.`, {
      fix: FIX,
    });
  }
  let total = 0;
  UNITS.forEach(([, size], index) => {
    const amount = match[index + 1];
    if (amount !== undefined) total += Number(amount) * size;
  });
  if (total > MAX_MS) {
    throw new HolmesError(
      'USAGE',
      `Invalid duration '${text}': longer than Prometheus can represent (about 292 years).`,
      {
        fix: FIX,
      },
    );
  }
  return total;
}

/** Formats milliseconds the way Prometheus prints a duration: `1h30m`, `45s`, `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of UNITS) {
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return ms < 0 ? `-${text}` : text;
}
