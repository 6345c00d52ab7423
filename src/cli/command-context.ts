import type { LevelWithSilent } from 'pino';
import type { HolmesConfig } from '../config/config-schema.js';
import type { Logger } from '../core/logger.js';

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
  /** Resolves when the user interrupts (SIGINT/SIGTERM); long-running commands await it. */
  interrupted: Promise<NodeJS.Signals>;
}

/** Loads the config and the logger once, for the command that runs. */
export async function createCommandContext(options: GlobalOptions, overrides: Record<string, unknown> = {}): Promise<CommandContext> {
  const [{ loadConfig }, { createLogger }] = await Promise.all([
    import('../config/load-config.js'),
    import('../core/logger.js'),
  ]);
  const loaded = loadConfig({ ...(options.config ? { file: options.config } : {}), overrides });
  const logger = await createLogger({ level: options.logLevel ?? loaded.config.log.level });
  for (const warning of loaded.warnings) logger.warn(warning);
  return {
    config: loaded.config,
    configFile: loaded.file,
    logger,
    json: Boolean(options.json),
    out: process.stdout,
    err: process.stderr,
    interrupted: new Promise((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
    }),
  };
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
