import type { HolmesConfig } from './config-schema.js';
import { SECRET_PATHS } from './config-schema.js';
import { describeSecret, type Secret } from './secret.js';

const SECRET_HEADER = /^(authorization|x-api-key|api-key|cookie|proxy-authorization)$/i;

/** The effective config as it may be printed: secrets shown by origin, never by value. */
export function redactConfig(config: HolmesConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const path of SECRET_PATHS) {
    const [section, key] = path.split('.') as [string, string];
    const holder = copy[section];
    if (holder?.[key] !== undefined) holder[key] = describeSecret(holder[key] as Secret);
  }
  const headers = copy.prometheus?.headers as Record<string, string> | undefined;
  for (const name of Object.keys(headers ?? {})) if (SECRET_HEADER.test(name)) headers![name] = '[redacted]';
  return copy;
}
