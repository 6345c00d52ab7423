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
  return shifted(now, -1, duration, value, 'Write now or now-<duration>, e.g. now-12m or now-2h30m');
}

/** `now` moved by a duration as RFC 3339; a malformed duration is an error naming how `written` is fixed. */
function shifted(now: Date, sign: 1 | -1, duration: string, written: string, fix: string): string {
  try {
    return rfc3339(new Date(now.getTime() + sign * parseDuration(duration)));
  } catch (error) {
    throw new HolmesError(
      'SCENARIO_INVALID',
      `'${written}' is not a valid time: '${duration}' is not a Prometheus duration.`,
      { cause: error, fix: `${fix} (units ms s m h d w y, largest first).` },
    );
  }
}

/** Resolves a leading `now` or `now-<duration>` followed by a space (or the end) in a log line. */
export function substituteNowPrefix(line: string, now: Date): string {
  const prefix = /^now(?:-\S*)?(?= |$)/.exec(line)?.[0];
  if (prefix === undefined) return line;
  return substituteNow(prefix, now) + line.slice(prefix.length);
}

// `{{now}}`, `{{now-<duration>}}` or `{{now+<duration>}}`, spaces allowed inside the braces.
const PLACEHOLDER = /\{\{\s*now(?:([+-])([^}]*?))?\s*\}\}/g;

/**
 * Resolves `{{now-<duration>}}` anywhere in a log line to an RFC 3339 time, so a message can quote
 * one ("certificate expired at {{now-3d}}"). `{{now}}` is the load time and `{{now+<duration>}}` a
 * time ahead (an expiry still to come); a malformed duration inside the braces is an error.
 */
export function substituteNowPlaceholders(line: string, now: Date): string {
  return line.replace(PLACEHOLDER, (placeholder, sign: string | undefined, duration: string | undefined) =>
    sign === undefined || duration === undefined
      ? rfc3339(now)
      : shifted(
          now,
          sign === '-' ? -1 : 1,
          duration,
          placeholder,
          'Write {{now-<duration>}} or {{now+<duration>}}, e.g. {{now-3d}} or {{now+12h}}',
        ),
  );
}

/** A log line with its leading time and every `{{now…}}` placeholder resolved. */
export function substituteNowInLogLine(line: string, now: Date): string {
  return substituteNowPlaceholders(substituteNowPrefix(line, now), now);
}
