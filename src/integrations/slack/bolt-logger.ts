import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

const format = (parts: unknown[]) =>
  parts
    .map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');

/** Bolt's and the Slack SDK's logs through Holmes's logger (stderr, JSON, redaction), under `component: slack`. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  return {
    // The SDK's info lines (connections, retries) are routine: they go out at debug.
    debug: (...parts) => child.debug(format(parts)),
    info: (...parts) => child.debug(format(parts)),
    warn: (...parts) => child.warn(format(parts)),
    error: (...parts) => child.error(format(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
