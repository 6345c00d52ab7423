import { pino, type Logger, type LevelWithSilent } from 'pino';
import { redactSecrets } from './redact-secrets.js';

export type { Logger };

/** Keys whose values never reach a log line, wherever they are nested. */
const REDACT_PATHS = [
  'token',
  'apiKey',
  'password',
  'secret',
  'bearerToken',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.bearerToken',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

export interface CreateLoggerOptions {
  level?: LevelWithSilent;
  /** Human-readable lines instead of JSON; default: when stderr is a TTY. */
  pretty?: boolean;
  /** Where lines go; default stderr, since stdout carries results (and `--json`). */
  destination?: NodeJS.WritableStream;
}

export async function createLogger(options: CreateLoggerOptions = {}): Promise<Logger> {
  const level = options.level ?? 'warn';
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const base = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
    // Paths cover known fields; a secret value inside any message or error text is caught here.
    hooks: { streamWrite: redactSecrets },
  };
  if (pretty) {
    // Synchronous pretty stream: no worker thread, so nothing is lost when the CLI exits.
    const { default: pretty } = await import('pino-pretty');
    const stream = pretty({
      destination: 2,
      sync: true,
      colorize: Boolean(process.stderr.isTTY),
      ignore: 'pid,hostname',
    });
    return pino(base, options.destination ?? stream);
  }
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
