import { parseDuration } from '../core/duration.js';
import { HolmesError } from '../core/errors.js';
import { rfc3339 } from './rfc3339.js';

const EXACT = /^now(?:-(.*))?$/s;
// `now-` followed by a digit is meant as a time; anything else (`now-playing`) is ordinary text.
const MEANT_AS_TIME = /^[0-9]/;

/**
 * Resolves a string of the exact form `now` or `now-<duration>` to an RFC 3339 time; any other
 * string comes back unchanged. `now-` plus a digit that is not a valid duration is an error.
 */
export function substituteNow(value: string, now: Date): string {
  const match = EXACT.exec(value);
  if (match === null) return value;
  const duration = match[1];
  if (duration === undefined) return rfc3339(now);
  if (!MEANT_AS_TIME.test(duration)) return value;
  try {
    return rfc3339(new Date(now.getTime() - parseDuration(duration)));
  } catch (error) {
    throw new HolmesError(
      'SCENARIO_INVALID',
      `'${value}' is not a valid time: '${duration}' is not a Prometheus duration.`,
      {
        cause: error,
        fix: 'Write now or now-<duration>, e.g. now-12m or now-2h30m (units ms s m h d w y, largest first).',
      },
    );
  }
}

/** Resolves a leading `now` or `now-<duration>` followed by a space (or the end) in a log line. */
export function substituteNowPrefix(line: string, now: Date): string {
  const prefix = /^now(?:-\S*)?(?= |$)/.exec(line)?.[0];
  if (prefix === undefined) return line;
  return substituteNow(prefix, now) + line.slice(prefix.length);
}
