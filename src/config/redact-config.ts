import type { HolmesConfig } from './config-schema.js';
import { SECRET_PATHS } from './config-schema.js';
import { redactUrlCredentials } from '../core/redact-secrets.js';
import { describeSecret, type Secret } from './secret.js';

// Any header whose name suggests a credential: Authorization, Cookie, X-Api-Key, X-Auth-Token,
// Private-Token, X-Vault-Token… A header shown as redacted by mistake costs less than a leaked one.
const SECRET_HEADER = /auth|cookie|token|secret|passw|api[-_]?key/i;

/** The effective config as it may be printed: secrets shown by origin, never by value. */
export function redactConfig(config: HolmesConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const path of SECRET_PATHS) {
    const keys = path.split('.');
    const last = keys.pop()!;
    const holder = keys.reduce<Record<string, unknown> | undefined>(
      (node, key) => node?.[key] as Record<string, unknown> | undefined,
      copy,
    );
    const value = holder?.[last];
    // A list of secrets (e.g. several bearer tokens) is redacted item by item.
    if (Array.isArray(value)) holder![last] = value.map((item) => describeSecret(item as Secret));
    else if (value !== undefined) holder![last] = describeSecret(value as Secret);
  }
  const headers = copy.prometheus?.headers as Record<string, string> | undefined;
  for (const name of Object.keys(headers ?? {})) if (SECRET_HEADER.test(name)) headers![name] = '[redacted]';
  // Every header and env value of an MCP server may carry a credential: shown by origin, never by value.
  for (const server of Object.values((copy.mcpServers ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const field of ['headers', 'env'] as const) {
      const values = server[field] as Record<string, Secret> | undefined;
      for (const name of Object.keys(values ?? {})) values![name] = describeSecret(values![name]!) as Secret;
    }
    if (typeof server.url === 'string') server.url = redactUrlCredentials(server.url);
  }
  for (const [section, key] of [
    ['prometheus', 'url'],
    ['kubernetes', 'server'],
    ['jira', 'url'],
  ] as const) {
    const holder = copy[section];
    if (typeof holder?.[key] === 'string') holder[key] = redactUrlCredentials(holder[key]);
  }
  for (const model of copy.models as unknown as Array<Record<string, unknown>>)
    if (typeof model.baseUrl === 'string') model.baseUrl = redactUrlCredentials(model.baseUrl);
  return copy;
}
