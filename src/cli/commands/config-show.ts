import { stringify } from 'yaml';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

/** `holmes config show`: the effective configuration, secrets shown by origin only. */
export async function configShow(context: CommandContext): Promise<void> {
  const { redactConfig } = await import('../../config/redact-config.js');
  const redacted = redactConfig(context.config);
  if (context.json) return writeJson(context, { file: context.configFile ?? null, config: redacted });
  context.out.write(`# effective configuration (file: ${context.configFile ?? 'none, defaults + environment'})\n`);
  context.out.write(stringify(redacted));
}
