import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { CommandContext } from '../../../src/cli/command-context.js';
import type { HolmesConfig } from '../../../src/config/config-schema.js';

export interface CapturedContext extends CommandContext {
  stdout(): string;
  stderr(): string;
}

/** A command context whose stdout and stderr are captured, for running commands in-process. */
export function captureContext(config: HolmesConfig, options: { json?: boolean } = {}): CapturedContext {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return {
    config,
    configFile: undefined,
    logger: pino({ level: 'silent' }),
    json: Boolean(options.json),
    out: stdout,
    err: stderr,
    interrupted: new Promise<NodeJS.Signals>(() => undefined),
    stdout: () => out,
    stderr: () => err,
  };
}
