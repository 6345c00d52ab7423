import type { LevelWithSilent } from 'pino';
import type { HolmesConfig } from '../config/config-schema.js';
import type { Logger } from '../core/logger.js';
import { redactSecrets } from '../core/redact-secrets.js';

/** Global flags every command receives. */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  logLevel?: LevelWithSilent;
}

export interface CommandContext {
  config: HolmesConfig;
  configFile: string | undefined;
  logger: Logger;
  json: boolean;
  /** Results go here (stdout); progress and logs go to stderr. */
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /**
   * Resolves when the user interrupts (SIGINT, SIGTERM or SIGHUP); long-running commands await it.
   * Listening starts on first use: a command that never asks is ended by Ctrl-C as usual.
   */
  readonly interrupted: Promise<NodeJS.Signals>;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The first stop signal, after which every listener is removed again: a second Ctrl-C then
 * meets no listener of ours and ends the process (registerCleanup relies on counting listeners).
 */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
      resolve(signal);
    };
    for (const name of STOP_SIGNALS) process.on(name, onSignal);
  });
}

/**
 * The stream with every string written to it redacted (remembered secrets, URL credentials);
 * everything else (isTTY, columns, events) is the stream's own.
 */
function redacting<T extends NodeJS.WritableStream>(stream: T): T {
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stream.write as (...args: unknown[]) => boolean)(
      typeof chunk === 'string' ? redactSecrets(chunk) : chunk,
      ...rest,
    );
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Loads the config and the logger once, for the command that runs. */
export async function createCommandContext(
  options: GlobalOptions,
  overrides: Record<string, unknown> = {},
): Promise<CommandContext> {
  const [{ loadConfig }, { createLogger }] = await Promise.all([
    import('../config/load-config.js'),
    import('../core/logger.js'),
  ]);
  const loaded = loadConfig({ ...(options.config ? { file: options.config } : {}), overrides });
  const logger = await createLogger({ level: options.logLevel ?? loaded.config.log.level });
  for (const warning of loaded.warnings) logger.warn(warning);
  let interrupted: Promise<NodeJS.Signals> | undefined;
  return {
    config: loaded.config,
    configFile: loaded.file,
    logger,
    json: Boolean(options.json),
    out: redacting(process.stdout),
    err: redacting(process.stderr),
    // Not a listener for every command: one that never awaits this would make Ctrl-C do nothing.
    get interrupted() {
      return (interrupted ??= nextStopSignal());
    },
  };
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
