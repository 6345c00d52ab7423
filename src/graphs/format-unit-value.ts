import type { GraphUnit } from '../core/graph-spec.js';

// Fixed locale: a graph reads the same on every server, and tests can say what it shows.
const plain = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function number(value: number): string {
  // Axis ticks such as 0.30000000000000004 print as 0.3.
  return plain.format(Number(value.toPrecision(12)));
}

function seconds(value: number): string {
  const size = Math.abs(value);
  if (size === 0) return '0';
  if (size < 1e-3) return `${number(value * 1e6)} µs`;
  if (size < 1) return `${number(value * 1e3)} ms`;
  if (size < 120) return `${number(value)} s`;
  if (size < 7200) return `${number(value / 60)} min`;
  return `${number(value / 3600)} h`;
}

function bytes(value: number): string {
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1024 && index < BINARY.length - 1) {
    scaled /= 1024;
    index += 1;
  }
  return `${number(scaled)} ${BINARY[index]}`;
}

/** Prints a value in its unit the way an on-call engineer reads it: `250 ms`, `42%`, `$3.2/h`, `1.2K tok/s`. */
export function formatUnitValue(unit: GraphUnit, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 's':
      return seconds(value);
    case 'ms':
      return seconds(value / 1000);
    case 'percent':
      return `${number(value)}%`;
    case 'ratio':
      return `${number(value * 100)}%`;
    case 'usd':
      return `${value < 0 ? '-' : ''}$${number(Math.abs(value))}`;
    case 'usd_per_hour':
      return `${value < 0 ? '-' : ''}$${number(Math.abs(value))}/h`;
    case 'tokens_per_second':
      return `${compact.format(value)} tok/s`;
    case 'requests_per_second':
      return `${compact.format(value)} req/s`;
    case 'per_second':
      return `${compact.format(value)}/s`;
    case 'bytes':
      return bytes(value);
    case 'bytes_per_second':
      return `${bytes(value)}/s`;
    case 'celsius':
      return `${number(value)} °C`;
    case 'watts':
      return `${number(value)} W`;
    case 'mhz':
      return `${number(value)} MHz`;
    case 'count':
      return compact.format(value);
  }
}

// A clock or a temperature means something at 1,410 vs 1,980 MHz, not against zero.
const FLOATING: ReadonlySet<GraphUnit> = new Set(['celsius', 'mhz']);

/** Whether an axis of this unit starts at zero (most do: a rate or a latency is read against nothing). */
export function startsAtZero(unit: GraphUnit): boolean {
  return !FLOATING.has(unit);
}
