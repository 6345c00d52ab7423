import { HolmesError } from '../core/errors.js';

/** How many alert groups `investigate` and `investigate alertmanager` take unless told. */
const DEFAULT_LIMIT = 20;

/** `--limit N`: a positive whole number, or the default when absent. */
export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw new HolmesError('USAGE', `--limit ${value} is not a positive whole number.`, {
      fix: 'Write e.g. --limit 5.',
    });
  return limit;
}
