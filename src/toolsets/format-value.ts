import { formatCompactNumber } from '../telemetry/format-compact-number.js';
import type { DecoderSpec } from './toolset-schema.js';

/** A value with its unit; `ratio` (0-1) becomes a percentage. */
export function formatValue(value: number, unit?: string): string {
  switch (unit) {
    case undefined:
    case '':
    case 'count':
      return formatCompactNumber(value);
    case 'ratio':
      return `${formatCompactNumber(value * 100)}%`;
    case 'percent':
      return `${formatCompactNumber(value)}%`;
    case 'seconds':
      return Math.abs(value) < 1 && value !== 0
        ? `${formatCompactNumber(value * 1000)}ms`
        : `${formatCompactNumber(value)}s`;
    case 'usd':
      return `$${formatCompactNumber(value)}`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let scaled = value;
      let index = 0;
      while (Math.abs(scaled) >= 1024 && index < units.length - 1) {
        scaled /= 1024;
        index += 1;
      }
      return `${formatCompactNumber(scaled)}${units[index]}`;
    }
    default:
      return `${formatCompactNumber(value)}${unit.startsWith('/') ? '' : ' '}${unit}`;
  }
}

/** Words for a value: an XID code's meaning, or the set bits of a clock-event mask. */
export function decodeValue(value: number, decoder: DecoderSpec): string {
  if (!Number.isFinite(value)) return '';
  if (decoder.type === 'map') {
    const key = String(Math.round(value));
    return decoder.values[key] ?? decoder.unknown?.replace('{value}', key) ?? `unknown (${key})`;
  }
  const names: string[] = [];
  const mask = BigInt(Math.round(value));
  for (const [bit, name] of Object.entries(decoder.bits)) {
    const flag = BigInt(Number(bit));
    if (flag !== 0n && (mask & flag) === flag) names.push(name);
  }
  return names.length > 0 ? names.join(', ') : 'none';
}
